package dev.lathe.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceScannerTest {
    @Test
    void defaultIncludesEveryModelFileAtAnyDepth() {
        SourceScanner s = new SourceScanner(null, null);
        assertTrue(s.matches("a.model"));
        assertTrue(s.matches("com/acme/a.model"));
        assertFalse(s.matches("a.model.bak"));
        assertFalse(s.matches("a.safetensors"));
    }

    @Test
    void antPatterns() {
        assertTrue(SourceScanner.compile("*.model").matcher("a.model").matches());
        assertFalse(SourceScanner.compile("*.model").matcher("x/a.model").matches());
        assertTrue(SourceScanner.compile("x/**/*.model").matcher("x/a.model").matches());
        assertTrue(SourceScanner.compile("x/**/*.model").matcher("x/y/z/a.model").matches());
        assertTrue(SourceScanner.compile("drafts/").matcher("drafts/a/b.model").matches());
        assertTrue(SourceScanner.compile("?.model").matcher("a.model").matches());
        assertFalse(SourceScanner.compile("?.model").matcher("ab.model").matches());
        assertTrue(SourceScanner.compile("a+b.model").matcher("a+b.model").matches());
    }

    @Test
    void excludesWin(@TempDir Path dir) throws Exception {
        for (String f : List.of("a.model", "drafts/b.model", "lib/c.model", "notes.txt")) {
            Files.createDirectories(dir.resolve(f).getParent());
            Files.writeString(dir.resolve(f), "");
        }
        assertEquals(List.of("a.model", "lib/c.model"), new SourceScanner(List.of(), List.of("drafts/**")).scan(dir));
        assertEquals(List.of("lib/c.model"), new SourceScanner(List.of("lib/*.model"), List.of()).scan(dir));
        assertEquals(List.of(), new SourceScanner(null, null).scan(dir.resolve("missing")));
    }
}
