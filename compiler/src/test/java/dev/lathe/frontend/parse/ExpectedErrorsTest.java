package dev.lathe.frontend.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lathe.frontend.parse.ExpectedErrors.Expected;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpectedErrorsTest {
    @Test
    void markerPointsAtTheNextLine() {
        String text = """
                model m version 1;
                // ERROR[E0101]
                const x = ;
                """;
        assertEquals(List.of(new Expected("E0101", 3)), ExpectedErrors.read(text));
    }

    @Test
    void stackedMarkersShareTheirLineAndOrdinaryCommentsAreNoMarkers() {
        String text = "// a comment about ERROR[E0999] in prose\n"
                + "  // ERROR[E0102]\n"
                + "//ERROR[E0104]\n"
                + "x = 1e $;\n"
                + "// ERROR[E0301]\r\n"
                + "y = z;\n";
        assertEquals(List.of(new Expected("E0102", 4), new Expected("E0104", 4), new Expected("E0301", 6)),
                ExpectedErrors.read(text));
    }

    @Test
    void markerAtTheEndIsAMistakeInTheTest() {
        assertThrows(IllegalArgumentException.class, () -> ExpectedErrors.read("x = 1;\n// ERROR[E0101]"));
    }
}
