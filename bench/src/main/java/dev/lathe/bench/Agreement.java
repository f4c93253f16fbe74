package dev.lathe.bench;

import dev.lathe.runtime.Tensor;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Element-wise agreement of two engines' outputs under DESIGN.md §4's f32 tolerance: every element
 * within {@code abs 1e-5 + rel 1e-4} of the reference ({@code |x - ref| <= 1e-5 + 1e-4 |ref|}).
 *
 * @param maxAbs the largest absolute difference over all outputs
 * @param maxRel the largest difference relative to the reference element ({@code |x - ref| / |ref|}, 0 for ref 0)
 * @param worst the largest {@code |x - ref| / (1e-5 + 1e-4 |ref|)}: at most 1 when they agree
 * @param elements how many elements were compared
 */
public record Agreement(double maxAbs, double maxRel, double worst, long elements) {
    public static final double ABS = 1e-5, REL = 1e-4;

    public boolean ok() {
        return worst <= 1.0;
    }

    /** Compares {@code actual} with {@code reference}, output by output (same names, shapes). */
    public static Agreement of(Map<String, Tensor> actual, Map<String, float[]> reference) {
        double maxAbs = 0, maxRel = 0, worst = 0;
        long n = 0;
        for (Map.Entry<String, float[]> e : reference.entrySet()) {
            Tensor t = actual.get(e.getKey());
            if (t == null) throw new IllegalStateException("no output " + e.getKey() + " (have " + actual.keySet() + ")");
            float[] a = t.toFloatArray(), r = e.getValue();
            if (a.length != r.length) {
                throw new IllegalStateException("output " + e.getKey() + ": " + a.length + " elements " + Arrays.toString(t.shape())
                        + " vs " + r.length);
            }
            for (int i = 0; i < a.length; i++) {
                double diff = Math.abs((double) a[i] - r[i]);
                if (Double.isNaN(diff)) diff = Double.isNaN(a[i]) && Double.isNaN(r[i]) ? 0 : Double.POSITIVE_INFINITY;
                maxAbs = Math.max(maxAbs, diff);
                if (r[i] != 0) maxRel = Math.max(maxRel, diff / Math.abs(r[i]));
                worst = Math.max(worst, diff / (ABS + REL * Math.abs(r[i])));
            }
            n += a.length;
        }
        return new Agreement(maxAbs, maxRel, worst, n);
    }

    /** Throws when they do not agree; otherwise returns this. */
    public Agreement require(String what) {
        if (!ok()) throw new IllegalStateException(what + ": outputs differ beyond abs 1e-5 + rel 1e-4: " + this);
        return this;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "max |diff| = %.3g, max rel = %.3g, worst diff / (1e-5 + 1e-4 |ref|) = %.3f over %d elements",
                maxAbs, maxRel, worst, elements);
    }
}
