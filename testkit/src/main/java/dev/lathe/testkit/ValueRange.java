package dev.lathe.testkit;

import java.util.SplittableRandom;

/**
 * Where generated floating-point elements lie: within {@code [min, max]}, spread on both sides of
 * the value of the range nearest zero (its "center", which is also what an element shrinks to).
 * With {@code mixMagnitudes} the elements are a mix that finds numeric bugs sooner than a uniform
 * draw: exact zeros (the center), ordinary values, small integers, tiny values down to 1e-6 of the
 * range, values log-uniform over six decades, and values within 1% of the range's ends. Without it
 * every element is uniform on its side of the center. Immutable.
 *
 * <p>Every element is a function of three draws (a category, a side and 24 random bits), so the
 * same distribution serves QuickTheories generators ({@link TensorGens#tensors}) and seeded
 * sampling ({@link TensorGens#sample}).
 */
public record ValueRange(double min, double max, boolean mixMagnitudes) {
    /** Inputs of generated graphs: wide enough to reach the nonlinear parts of tanh, sigmoid, gelu. */
    public static final ValueRange DEFAULT = new ValueRange(-4, 4, true);

    /** Draws per element: category, side, bits. */
    static final int CATEGORIES = 8;
    static final int BITS = 24;

    public ValueRange {
        if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
            throw new IllegalArgumentException("value range [" + min + ", " + max + "] is not a finite, non-empty interval");
        }
    }

    /** A range with the default mix of magnitudes. */
    public static ValueRange of(double min, double max) {
        return new ValueRange(min, max, true);
    }

    /** A range whose elements are uniform on each side of its center. */
    public static ValueRange uniform(double min, double max) {
        return new ValueRange(min, max, false);
    }

    /** The value of the range nearest zero: what every element shrinks to. */
    public double center() {
        return Math.clamp(0.0, min, max);
    }

    /**
     * The element for one set of draws: {@code category} in {@code [0, CATEGORIES)}, {@code below}
     * the side of the center, {@code bits} in {@code [0, 2^BITS)}. All draws at zero give the center.
     */
    double element(int category, boolean below, int bits) {
        double c = center();
        double up = max - c;
        double down = c - min;
        // An empty side (the center is an end of the range) sends the element to the other side.
        boolean negative = below ? down > 0 : up <= 0;
        double span = negative ? down : up;
        double u = bits / (double) (1 << BITS);
        double offset;
        if (!mixMagnitudes) {
            offset = u * span;
        } else {
            offset = switch (category) {
                case 0 -> 0.0;
                case 1, 2, 3 -> u * span;
                // Small integers: exact in every float type, so sums and products of them are exact too.
                case 4 -> Math.min(Math.floor(u * 4) + 1, Math.floor(span));
                case 5 -> span * Math.pow(10, -1 - 5 * u);
                case 6 -> span * (1 - 0.01 * u);
                default -> span * Math.pow(10, -6 * u);
            };
        }
        return Math.clamp(negative ? c - offset : c + offset, min, max);
    }

    /** One element drawn from {@code random} with the same distribution as the generators. */
    double sample(SplittableRandom random) {
        return element(random.nextInt(CATEGORIES), random.nextBoolean(), random.nextInt(1 << BITS));
    }
}
