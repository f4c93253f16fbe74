package dev.lathe.maven;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the model files under a source folder with Ant-style {@code includes} and {@code excludes}
 * as Maven plugins take them: paths relative to the folder with {@code /}, {@code *} and {@code ?}
 * within one segment, {@code **} across any number of segments (none included, so
 * {@code **}{@code /*.model} also matches {@code a.model}), and a pattern ending in {@code /} meaning
 * everything below that folder.
 */
final class SourceScanner {
    static final List<String> DEFAULT_INCLUDES = List.of("**/*.model");

    private final List<Pattern> includes;
    private final List<Pattern> excludes;

    SourceScanner(List<String> includes, List<String> excludes) {
        this.includes = (includes == null || includes.isEmpty() ? DEFAULT_INCLUDES : includes).stream().map(SourceScanner::compile).toList();
        this.excludes = (excludes == null ? List.<String>of() : excludes).stream().map(SourceScanner::compile).toList();
    }

    /** Relative paths ({@code /}-separated) of the matching regular files, sorted; empty when {@code dir} does not exist. */
    List<String> scan(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (!Files.isRegularFile(p)) continue;
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (matches(rel)) out.add(rel);
            }
        }
        out.sort(null);
        return out;
    }

    boolean matches(String relativePath) {
        return includes.stream().anyMatch(p -> p.matcher(relativePath).matches())
                && excludes.stream().noneMatch(p -> p.matcher(relativePath).matches());
    }

    static Pattern compile(String antPattern) {
        String p = antPattern.trim().replace('\\', '/');
        while (p.startsWith("/")) p = p.substring(1);
        if (p.endsWith("/")) p = p + "**";
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '*' && i + 1 < p.length() && p.charAt(i + 1) == '*') {
                boolean slashAfter = i + 2 < p.length() && p.charAt(i + 2) == '/';
                if (slashAfter) {
                    re.append("(?:.*/)?");
                    i += 2;
                } else {
                    re.append(".*");
                    i += 1;
                }
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
