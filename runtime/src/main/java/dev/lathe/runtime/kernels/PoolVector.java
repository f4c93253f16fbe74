package dev.lathe.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API 2x2 stride-2 max pooling: 2L input columns of two rows give L outputs. The vertical max
 * is lane-wise; the horizontal one de-interleaves the even and odd columns of the two vectors (a
 * two-vector rearrange) and takes their max.
 */
final class PoolVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Lane i takes lane 2i (2i + 1) of the concatenation of two vectors; indexes >= L pick from the second. */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, i -> 2 * i);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(S, i -> 2 * i + 1);
    /** The same within one vector (the upper half of the result repeats the lower). */
    private static final VectorShuffle<Float> EVEN_IN_ONE = VectorShuffle.fromOp(S, i -> 2 * i % L);
    private static final VectorShuffle<Float> ODD_IN_ONE = VectorShuffle.fromOp(S, i -> (2 * i + 1) % L);

    private PoolVector() {}

    /** One plane: every window lies inside x (2 * oh <= h, 2 * ow <= w). */
    static void max2x2(float[] x, int xi, int w, float[] out, int oi, int oh, int ow) {
        int full = ow - ow % L;
        int rest = ow - full;
        // The partial block's masks are the same on every row.
        VectorMask<Float> lo = S.indexInRange(0, Math.min(L, 2 * rest)), hi = S.indexInRange(L, 2 * rest), outMask = S.indexInRange(0, rest);
        for (int y = 0; y < oh; y++) {
            int r0 = xi + 2 * y * w, r1 = r0 + w, o = oi + y * ow;
            for (int xx = 0; xx < full; xx += L) {
                int s = 2 * xx;
                FloatVector a = FloatVector.fromArray(S, x, r0 + s).max(FloatVector.fromArray(S, x, r1 + s));
                FloatVector b = FloatVector.fromArray(S, x, r0 + s + L).max(FloatVector.fromArray(S, x, r1 + s + L));
                a.rearrange(EVEN, b).max(a.rearrange(ODD, b)).intoArray(out, o + xx);
            }
            if (rest > 0 && 2 * rest <= L) {
                // The row's last 2 * rest columns fit one vector: one-vector de-interleaves, no second load.
                int s = 2 * full;
                FloatVector a = FloatVector.fromArray(S, x, r0 + s, lo).max(FloatVector.fromArray(S, x, r1 + s, lo));
                a.rearrange(EVEN_IN_ONE).max(a.rearrange(ODD_IN_ONE)).intoArray(out, o + full, outMask);
            } else if (rest > 0) {
                int s = 2 * full;
                FloatVector a = FloatVector.fromArray(S, x, r0 + s, lo).max(FloatVector.fromArray(S, x, r1 + s, lo));
                FloatVector b = FloatVector.fromArray(S, x, r0 + s + L, hi).max(FloatVector.fromArray(S, x, r1 + s + L, hi));
                a.rearrange(EVEN, b).max(a.rearrange(ODD, b)).intoArray(out, o + full, outMask);
            }
        }
    }
}
