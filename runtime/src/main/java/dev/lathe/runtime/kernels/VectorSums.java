package dev.lathe.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sum of a vector's lanes in one fixed order (pairs at distance L/2, then L/4, ..., then 1).
 * {@code reduceLanes(ADD)} may add float lanes in any order, and does differ between C2's intrinsic and
 * the interpreter's fallback, so a kernel called before and after compilation (or on a warm and a cold
 * thread) could round differently; results must not depend on that (same inputs, same bits, whatever
 * the thread count).
 */
final class VectorSums {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorShuffle<Float> X8 = VectorShuffle.fromOp(S, i -> i ^ Math.min(8, Math.max(1, L / 2)));
    private static final VectorShuffle<Float> X4 = VectorShuffle.fromOp(S, i -> i ^ Math.min(4, Math.max(1, L / 2)));
    private static final VectorShuffle<Float> X2 = VectorShuffle.fromOp(S, i -> i ^ Math.min(2, Math.max(1, L / 2)));
    private static final VectorShuffle<Float> X1 = VectorShuffle.fromOp(S, i -> i ^ 1);

    private VectorSums() {}

    /** Sum of v's lanes (v of the preferred species), the same bits on every call. */
    static float sum(FloatVector v) {
        if (L >= 16) v = v.add(v.rearrange(X8));
        if (L >= 8) v = v.add(v.rearrange(X4));
        if (L >= 4) v = v.add(v.rearrange(X2));
        if (L >= 2) v = v.add(v.rearrange(X1));
        return v.lane(0);
    }

    /** Sum of the lanes of a short vector of any species, first lane to last. */
    static float sumInOrder(FloatVector v) {
        float s = 0f;
        for (int i = 0; i < v.length(); i++) s += v.lane(i);
        return s;
    }
}
