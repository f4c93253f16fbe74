package dev.lathe.testkit;

import java.util.List;

/**
 * Reads a step's choice numbers one by one as bounded ints. A step draws a fixed number of
 * choices (so that shrinking one step never shifts the draws of the next); a step that needs
 * more reuses them, mixed with their position so the extra ones are not copies (zeros stay zeros,
 * so the simplest form stays simplest).
 */
final class Choices {
    private final List<Integer> values;
    private int next;

    Choices(List<Integer> values) {
        if (values.isEmpty()) throw new IllegalArgumentException("a step needs at least one choice");
        this.values = values;
    }

    /** A number in {@code [0, bound)}; 0 when the underlying choice is 0, the simplest form. */
    int below(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound " + bound + " is not positive");
        int i = next++;
        int v = values.get(i % values.size());
        if (i >= values.size() && v != 0) v = v * 31 + i / values.size();
        return Math.floorMod(v, bound);
    }

    /** A number in {@code [lo, hi]}, {@code lo} for the simplest form. */
    int between(int lo, int hi) {
        return lo + below(hi - lo + 1);
    }

    /** True with probability 1/2; false for the simplest form. */
    boolean flag() {
        return below(2) == 1;
    }

    /** True with probability 1/n; false for the simplest form. */
    boolean oneIn(int n) {
        return below(n) == n - 1;
    }

    <T> T pick(List<T> options) {
        return options.get(below(options.size()));
    }
}
