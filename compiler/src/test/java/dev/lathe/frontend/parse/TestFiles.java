package dev.lathe.frontend.parse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.FileVisitResult;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Finds the test resources and the repository's {@code .model} files. */
final class TestFiles {
    private TestFiles() {}

    static Path resource(String name) {
        URL url = TestFiles.class.getClassLoader().getResource(name);
        if (url == null) throw new IllegalStateException("missing test resource " + name);
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> modelsUnder(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".model")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository root: the nearest directory above the working directory that holds {@code mvnw}. */
    static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw"))) return p;
        }
        throw new IllegalStateException("no mvnw above " + Path.of("").toAbsolutePath());
    }

    /**
     * Every {@code .model} file of the repository outside build output ({@code target*}) and hidden
     * folders, except snippets that are meant not to parse: those marked with an expected syntax
     * or limit error ({@code // ERROR[E01..]}, {@code // ERROR[E07..]}).
     */
    static List<Path> repositoryModels() {
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(repositoryRoot(), new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                    boolean skip = name.startsWith("target") || (name.startsWith(".") && name.length() > 1);
                    return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && file.toString().endsWith(".model")) found.add(file);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found.stream()
                .filter(p -> ExpectedErrors.read(read(p)).stream()
                        .noneMatch(e -> e.code().startsWith("E01") || e.code().startsWith("E07")))
                .sorted()
                .toList();
    }
}
