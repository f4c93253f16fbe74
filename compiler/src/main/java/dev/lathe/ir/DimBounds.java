package dev.lathe.ir;

/**
 * Inclusive bounds of a named dim as declared ({@code dim B in 1..64}); a null bound is open.
 * Checked at run time (E0601).
 */
public record DimBounds(Long lo, Long hi) {
    public static final DimBounds UNBOUNDED = new DimBounds(null, null);

    public DimBounds {
        if (lo != null && lo < 0) throw new IllegalArgumentException("dim lower bound " + lo + " is negative");
        if (lo != null && hi != null && lo > hi) throw new IllegalArgumentException("dim bounds " + lo + ".." + hi + " are empty");
    }

    public boolean contains(long value) {
        return (lo == null || value >= lo) && (hi == null || value <= hi);
    }

    @Override
    public String toString() {
        return "[" + (lo == null ? "" : lo) + ".." + (hi == null ? "" : hi) + "]";
    }
}
