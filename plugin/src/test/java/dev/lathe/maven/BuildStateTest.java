package dev.lathe.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildStateTest {
    @Test
    void roundTripsAndWritesOnlyWhenChanged(@TempDir Path dir) throws Exception {
        BuildState s = new BuildState();
        s.models.put("a.model", new BuildState.Model("a.model", "ff00", List.of("src/main/models/a.model", "w.safetensors"),
                List.of("target/generated-sources/lathe/A.java")));
        s.models.put("failed.model", new BuildState.Model("failed.model", "", List.of(), List.of()));
        s.files.put("w.safetensors", new BuildState.FileHash(123, 456, "abcd"));
        BuildState back = BuildState.parse(s.format());
        assertEquals(s.models, back.models);
        assertEquals(s.files, back.files);

        Path file = dir.resolve("state.txt");
        assertTrue(s.write(file));
        assertFalse(back.write(file), "the same state is not written again");
        assertEquals(s.models, BuildState.read(file).models);
    }

    @Test
    void anotherVersionOrGarbageIsForgotten(@TempDir Path dir) throws Exception {
        assertNull(BuildState.parse("lathe-build-state\t0\n"));
        assertNull(BuildState.parse("lathe-build-state\t1\nmodel\tonly-a-path\n"));
        assertNull(BuildState.parse("something else"));
        Files.writeString(dir.resolve("state.txt"), "garbage");
        assertTrue(BuildState.read(dir.resolve("state.txt")).models.isEmpty());
        assertTrue(BuildState.read(dir.resolve("missing.txt")).models.isEmpty());
    }
}
