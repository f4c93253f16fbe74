package dev.lathe.diag;

import java.nio.file.Path;

/**
 * A range in a source file: 1-based line and column of the first character, and the length in
 * characters on that line (at least 1). {@code file} is the path as the user gave it (or a
 * {@code std/...} resource name), used verbatim in diagnostics.
 */
public record SourceSpan(String file, int line, int column, int length) {
    public static final SourceSpan UNKNOWN = new SourceSpan("<unknown>", 0, 0, 1);

    public SourceSpan {
        if (file == null) file = "<unknown>";
        if (length < 1) length = 1;
    }

    public static SourceSpan of(Path file, int line, int column, int length) {
        return new SourceSpan(file.toString(), line, column, length);
    }

    /** {@code file:line:col}, the prefix of a diagnostic. */
    public String location() {
        return file + ":" + line + ":" + column;
    }

    @Override
    public String toString() {
        return location();
    }
}
