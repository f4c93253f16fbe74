package dev.lathe.testkit;

/**
 * How far a float result may be from the expected one: {@code |actual - expected| <= abs + rel * |expected|}.
 * NaN matches only NaN and an infinity only the same infinity, so a rewrite that turns a finite
 * result into an overflow (or the reverse) is caught. Integer and bool results always compare exactly.
 */
public record Tolerance(double abs, double rel) {
    /** The agreement DESIGN.md §4 asks of every lossless pass and backend: abs 1e-5 + rel 1e-4. */
    public static final Tolerance DEFAULT = new Tolerance(1e-5, 1e-4);

    /** Bitwise-equal values only (and -0.0 equal to 0.0), for rewrites that must not change any arithmetic. */
    public static final Tolerance EXACT = new Tolerance(0, 0);

    public Tolerance {
        if (!(abs >= 0) || !(rel >= 0)) throw new IllegalArgumentException("tolerances must be non-negative, got abs " + abs + ", rel " + rel);
    }

    /** Whether {@code actual} is close enough to {@code expected}. */
    public boolean accepts(double expected, double actual) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) return Double.isNaN(expected) && Double.isNaN(actual);
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) return expected == actual;
        return Math.abs(actual - expected) <= abs + rel * Math.abs(expected);
    }
}
