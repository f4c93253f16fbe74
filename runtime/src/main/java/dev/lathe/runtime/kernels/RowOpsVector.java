package dev.lathe.runtime.kernels;

import static dev.lathe.runtime.kernels.ActivationsVector.EXP_HI;
import static dev.lathe.runtime.kernels.ActivationsVector.EXP_LO;
import static dev.lathe.runtime.kernels.ActivationsVector.LN2_HI;
import static dev.lathe.runtime.kernels.ActivationsVector.LN2_LO;
import static dev.lathe.runtime.kernels.ActivationsVector.LOG2E;
import static dev.lathe.runtime.kernels.ActivationsVector.P0;
import static dev.lathe.runtime.kernels.ActivationsVector.P1;
import static dev.lathe.runtime.kernels.ActivationsVector.P2;
import static dev.lathe.runtime.kernels.ActivationsVector.P3;
import static dev.lathe.runtime.kernels.ActivationsVector.P4;
import static dev.lathe.runtime.kernels.ActivationsVector.P5;
import static dev.lathe.runtime.kernels.ActivationsVector.ROUND;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API softmax and normalizations, one row at a time. Reductions run a full-vector loop and
 * finish the row's tail in scalar code; elementwise passes use a tail mask. Sums accumulate in float
 * lanes (16 partial sums for 512-bit vectors), well within tolerance for rows of any realistic width.
 */
final class RowOpsVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorMask<Float> ALL = S.maskAll(true);

    private RowOpsVector() {}

    static void softmax(float[] x, int off, int rows, int cols, float[] out, int outOff, boolean log) {
        FloatVector c2 = FloatVector.broadcast(S, P2), c3 = FloatVector.broadcast(S, P3);
        FloatVector c4 = FloatVector.broadcast(S, P4), c5 = FloatVector.broadcast(S, P5);
        for (int row = 0; row < rows; row++) {
            int xi = off + row * cols, oi = outOff + row * cols;
            FloatVector mv = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            int j = 0;
            for (; j <= cols - L; j += L) mv = mv.max(FloatVector.fromArray(S, x, xi + j));
            float max = mv.reduceLanes(VectorOperators.MAX);
            for (; j < cols; j++) max = Math.max(max, x[xi + j]);
            FloatVector sv = FloatVector.zero(S);
            for (j = 0; j < cols; j += L) {
                VectorMask<Float> m = j + L <= cols ? ALL : S.indexInRange(j, cols);
                // e = exp(x - max)
                FloatVector v = FloatVector.fromArray(S, x, xi + j, m).sub(max).min(EXP_HI).max(EXP_LO);
                FloatVector t = v.fma(LOG2E, ROUND);
                FloatVector nf = t.sub(ROUND);
                FloatVector r = v.sub(nf.mul(LN2_HI)).sub(nf.mul(LN2_LO));
                FloatVector p = r.fma(P0, P1).fma(r, c2).fma(r, c3).fma(r, c4).fma(r, c5);
                p = p.mul(r.mul(r)).add(r).add(1f);
                FloatVector e = p.mul(t.reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
                sv = sv.add(e, m);
                if (!log) e.intoArray(out, oi + j, m);
            }
            float sum = VectorSums.sum(sv);
            if (log) {
                float logSum = (float) Math.log(sum);
                for (j = 0; j < cols; j += L) {
                    VectorMask<Float> m = j + L <= cols ? ALL : S.indexInRange(j, cols);
                    FloatVector.fromArray(S, x, xi + j, m).sub(max).sub(logSum).intoArray(out, oi + j, m);
                }
            } else {
                float inv = 1f / sum;
                for (j = 0; j < cols; j += L) {
                    VectorMask<Float> m = j + L <= cols ? ALL : S.indexInRange(j, cols);
                    FloatVector.fromArray(S, out, oi + j, m).mul(inv).intoArray(out, oi + j, m);
                }
            }
        }
    }

    static void layerNorm(float[] x, int off, int rows, int cols, float[] w, float[] b, float eps, float[] out, int outOff) {
        for (int row = 0; row < rows; row++) {
            int xi = off + row * cols, oi = outOff + row * cols;
            FloatVector sv = FloatVector.zero(S);
            int j = 0;
            for (; j <= cols - L; j += L) sv = sv.add(FloatVector.fromArray(S, x, xi + j));
            float sum = VectorSums.sum(sv);
            for (; j < cols; j++) sum += x[xi + j];
            float mean = sum / cols;
            FloatVector qv = FloatVector.zero(S);
            for (j = 0; j <= cols - L; j += L) {
                FloatVector d = FloatVector.fromArray(S, x, xi + j).sub(mean);
                qv = d.fma(d, qv);
            }
            float squares = VectorSums.sum(qv);
            for (; j < cols; j++) squares += (x[xi + j] - mean) * (x[xi + j] - mean);
            float inv = (float) (1 / Math.sqrt(squares / cols + (double) eps));
            for (j = 0; j < cols; j += L) {
                VectorMask<Float> m = j + L <= cols ? ALL : S.indexInRange(j, cols);
                FloatVector y = FloatVector.fromArray(S, x, xi + j, m).sub(mean).mul(inv);
                if (w != null) y = y.mul(FloatVector.fromArray(S, w, j, m));
                if (b != null) y = y.add(FloatVector.fromArray(S, b, j, m));
                y.intoArray(out, oi + j, m);
            }
        }
    }

    static void rmsNorm(float[] x, int off, int rows, int cols, float[] w, float eps, float[] out, int outOff) {
        for (int row = 0; row < rows; row++) {
            int xi = off + row * cols, oi = outOff + row * cols;
            FloatVector qv = FloatVector.zero(S);
            int j = 0;
            for (; j <= cols - L; j += L) {
                FloatVector v = FloatVector.fromArray(S, x, xi + j);
                qv = v.fma(v, qv);
            }
            float squares = VectorSums.sum(qv);
            for (; j < cols; j++) squares += x[xi + j] * x[xi + j];
            float inv = (float) (1 / Math.sqrt(squares / cols + (double) eps));
            for (j = 0; j < cols; j += L) {
                VectorMask<Float> m = j + L <= cols ? ALL : S.indexInRange(j, cols);
                FloatVector y = FloatVector.fromArray(S, x, xi + j, m).mul(inv);
                if (w != null) y = y.mul(FloatVector.fromArray(S, w, j, m));
                y.intoArray(out, oi + j, m);
            }
        }
    }
}
