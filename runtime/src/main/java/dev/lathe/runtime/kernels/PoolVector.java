package dev.lathe.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API 2x2 stride-2 max pooling: L input columns of two rows give L / 2 outputs. The vertical
 * max is lane-wise; the horizontal one takes each even lane's max with its right neighbour (the
 * vector shifted down one lane), then compresses the even lanes to the front.
 */
final class PoolVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorMask<Float> ALL = S.maskAll(true);
    private static final VectorMask<Float> EVEN = VectorMask.fromLong(S, 0x5555_5555_5555_5555L);

    private PoolVector() {}

    /** One plane: every window lies inside x (2 * oh <= h, 2 * ow <= w). */
    static void max2x2(float[] x, int xi, int w, float[] out, int oi, int oh, int ow) {
        int half = L / 2;
        for (int y = 0; y < oh; y++) {
            int r0 = xi + 2 * y * w, r1 = r0 + w, o = oi + y * ow;
            for (int xx = 0; xx < ow; xx += half) {
                int n = Math.min(half, ow - xx);
                VectorMask<Float> in = n == half ? ALL : S.indexInRange(0, 2 * n);
                FloatVector v = FloatVector.fromArray(S, x, r0 + 2 * xx, in).max(FloatVector.fromArray(S, x, r1 + 2 * xx, in));
                v = v.max(v.slice(1)).compress(EVEN);
                v.intoArray(out, o + xx, S.indexInRange(0, n));
            }
        }
    }
}
