package dev.lathe.frontend.parse;

/**
 * Limits on parser input (DESIGN.md §8), so that hostile or broken input gets a diagnostic instead
 * of exhausting memory or the stack.
 *
 * @param maxSourceBytes largest accepted source, in UTF-8 bytes (E0701 above it)
 * @param maxNesting     deepest accepted nesting of brackets, braces and operator chains (E0702)
 */
public record ParseLimits(int maxSourceBytes, int maxNesting) {
    public static final ParseLimits DEFAULT = new ParseLimits(1 << 20, 200);

    public ParseLimits {
        if (maxSourceBytes < 0) throw new IllegalArgumentException("maxSourceBytes < 0: " + maxSourceBytes);
        if (maxNesting < 1) throw new IllegalArgumentException("maxNesting < 1: " + maxNesting);
    }
}
