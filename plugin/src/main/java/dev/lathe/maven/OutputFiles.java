package dev.lathe.maven;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * Writes build outputs only when their content changes, so that a rebuild that produces the same
 * bytes keeps every timestamp (and the Java compiler and IDE have nothing to redo).
 */
final class OutputFiles {
    private OutputFiles() {}

    /** Writes {@code bytes} to {@code file} unless it holds them already; true when it wrote. */
    static boolean writeIfChanged(Path file, byte[] bytes) throws IOException {
        if (Files.isRegularFile(file) && Files.size(file) == bytes.length && Arrays.equals(Files.readAllBytes(file), bytes)) return false;
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".lathe-", ".tmp");
        try {
            Files.write(tmp, bytes);
            move(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return true;
    }

    /**
     * Moves {@code staged} to {@code file} unless {@code file} has the same content already (then
     * {@code staged} is deleted); true when it wrote.
     */
    static boolean install(Path staged, Path file) throws IOException {
        if (Files.isRegularFile(file) && Files.size(file) == Files.size(staged) && Files.mismatch(staged, file) == -1) {
            Files.delete(staged);
            return false;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        move(staged, file);
        return true;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
