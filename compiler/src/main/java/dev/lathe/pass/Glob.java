package dev.lathe.pass;

import java.util.Objects;

/**
 * A pass selector (LANGUAGE.md §7) over dotted paths such as {@code blk.0.mlp.fc1.weight}.
 * Matching is per {@code .}-separated segment: a segment that is exactly {@code **} matches zero
 * or more whole segments; in any other segment {@code *} matches any run of characters within
 * that segment (so {@code fc*} matches {@code fc1} and {@code fc}, and {@code a**b} is the same as
 * {@code a*b}); every other character is literal. Hence {@code **} matches every path,
 * {@code **.weight} matches {@code weight} and {@code blk.0.mlp.fc1.weight}, and {@code blk.**}
 * matches {@code blk} itself as well as everything below it. Immutable.
 */
public final class Glob {
    private final String pattern;
    private final String[] segments;

    private Glob(String pattern) {
        this.pattern = pattern;
        this.segments = pattern.split("\\.", -1);
    }

    public static Glob of(String pattern) {
        return new Glob(Objects.requireNonNull(pattern, "pattern"));
    }

    public String pattern() {
        return pattern;
    }

    /** Whether the selector has no wildcard, i.e. names exactly one path. */
    public boolean isLiteral() {
        return pattern.indexOf('*') < 0;
    }

    public boolean matches(String path) {
        String[] parts = path.split("\\.", -1);
        int s = segments.length;
        int p = parts.length;
        // tail[i][j]: segments[i..] match parts[j..]. Filled from the end so that a run of **
        // costs O(s * p) instead of the exponential backtracking of a naive recursion.
        boolean[][] tail = new boolean[s + 1][p + 1];
        tail[s][p] = true;
        for (int i = s - 1; i >= 0; i--) {
            boolean any = segments[i].equals("**");
            for (int j = p; j >= 0; j--) {
                tail[i][j] = any
                        ? tail[i + 1][j] || (j < p && tail[i][j + 1])
                        : j < p && tail[i + 1][j + 1] && segmentMatches(segments[i], parts[j]);
            }
        }
        return tail[0][0];
    }

    /** {@code *} matches any run of characters; greedy with backtracking to the last star, linear in practice. */
    static boolean segmentMatches(String glob, String text) {
        int g = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                resume = t;
            } else if (g < glob.length() && glob.charAt(g) == text.charAt(t)) {
                g++;
                t++;
            } else if (star >= 0) {
                g = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') g++;
        return g == glob.length();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Glob other && other.pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
