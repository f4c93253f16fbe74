package com.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lathe.runtime.model.ModelInputException;
import org.junit.jupiter.api.Test;

class AppTest {
    @Test
    void appScoresThroughTheFacade() {
        float[][] y = App.score(new float[][] {{1, -2, 3}, {-1, 0, 0.5f}});
        assertArrayEquals(new float[] {2, 0, 6}, y[0]);
        assertArrayEquals(new float[] {0, 0, 1}, y[1]);
    }

    @Test
    void testScopeModel() {
        assertArrayEquals(new float[] {1, -1}, Check.load().run(new float[] {3, 1}, new float[] {2, 2}));
    }

    @Test
    void dimsAreCheckedAtRunTime() {
        ModelInputException e = assertThrows(ModelInputException.class, () -> Check.load().run(new float[] {1, 2}, new float[] {1}));
        assertEquals("E0601", e.code(), e.getMessage());
        assertThrows(ModelInputException.class, () -> App.score(new float[][] {{1, 2}}));
    }
}
