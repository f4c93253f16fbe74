package dev.lathe.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Finds files in the repository checkout the tests run in. */
final class RepoFiles {
    private RepoFiles() {}

    /** The repository root: the nearest folder above the working directory holding {@code mvnw}. */
    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("mvnw"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("not inside the lathe checkout");
        return p;
    }

    /** Every {@code .model} file under {@code dir} (relative to the root), build outputs excluded, sorted. */
    static List<Path> models(String dir) {
        Path start = root().resolve(dir);
        if (!Files.isDirectory(start)) return List.of();
        try (Stream<Path> s = Files.walk(start)) {
            return s.filter(f -> f.toString().endsWith(".model"))
                    .filter(f -> root().relativize(f).toString().split("/")[0].startsWith("target") == false)
                    .filter(f -> !f.toString().contains("/target"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
