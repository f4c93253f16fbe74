package dev.lathe.interp;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.Arrays;

/**
 * Multi-head softmax attention, the op that {@code kernelize} replaces. Per batch b and head h
 * (columns {@code h*dh..(h+1)*dh} of q and k, {@code h*dv..(h+1)*dv} of v):
 * <pre>
 *   scores[i, j] = scale * sum_c q[b, i, h*dh + c] * k[b, j, h*dh + c]   (+ mask, if float)
 *   out[b, i, h*dv + c] = sum_j softmax_j(scores[i, j]) * v[b, j, h*dv + c]
 * </pre>
 * over the keys j that are visible: not hidden by a bool mask (true = attend), not in the future
 * when causal. A query row with no visible key (or only -inf scores) gives zeros, not NaN.
 */
public final class AttentionOps {
    private AttentionOps() {}

    /**
     * @param q [B, Sq, D]
     * @param k [B, Sk, D]
     * @param v [B, Sk, Dv]
     * @param heads number of heads; must divide D and Dv
     * @param mask null, or bool or float broadcasting to [B, heads, Sq, Sk]
     * @param causal hide key j from query i when j > i + Sk - Sq (the ends of the sequences align,
     *     so with Sq == Sk query i sees keys 0..i)
     * @param scale null for 1 / sqrt(D / heads)
     * @return [B, Sq, Dv], the heads' outputs side by side
     */
    public static Tensor attention(Tensor q, Tensor k, Tensor v, int heads, Tensor mask, boolean causal, Double scale) {
        ElementwiseOps.requireSameDtype("attention", q, k);
        ElementwiseOps.requireSameDtype("attention", q, v);
        if (q.rank() != 3 || k.rank() != 3 || v.rank() != 3) {
            throw new InterpreterException("attention: q, k, v must be [B, S, D], got " + shapes(q, k, v));
        }
        int batch = (int) q.dim(0), sq = (int) q.dim(1), d = (int) q.dim(2);
        int sk = (int) k.dim(1), dvAll = (int) v.dim(2);
        if (k.dim(0) != batch || v.dim(0) != batch || k.dim(2) != d || v.dim(1) != sk) {
            throw new InterpreterException("attention: q, k, v do not fit together: " + shapes(q, k, v));
        }
        if (heads <= 0 || d % heads != 0 || dvAll % heads != 0) {
            throw new InterpreterException("attention: heads = " + heads + " must divide D = " + d + " and Dv = " + dvAll);
        }
        int dh = d / heads;
        int dv = dvAll / heads;
        double s = scale != null ? scale : 1 / Math.sqrt(dh);
        long[] scoresShape = {batch, heads, sq, sk};
        int[] maskAt = mask == null ? null : Broadcasting.sourceIndices("attention mask", mask.shape(), scoresShape);
        boolean boolMask = mask != null && mask.dtype() == DType.BOOL;

        double[] out = new double[batch * sq * dvAll];
        double[] scores = new double[sk];
        boolean[] visible = new boolean[sk];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < sq; i++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < sk; j++) {
                        int m = ((b * heads + h) * sq + i) * sk + j;
                        visible[j] = !(causal && j > i + sk - sq) && !(boolMask && !mask.getBoolean(maskAt[m]));
                        if (!visible[j]) continue;
                        double dot = 0;
                        for (int c = 0; c < dh; c++) dot += q.getDouble((b * sq + i) * d + h * dh + c) * k.getDouble((b * sk + j) * d + h * dh + c);
                        scores[j] = dot * s + (mask != null && !boolMask ? mask.getDouble(maskAt[m]) : 0);
                        max = Math.max(max, scores[j]);
                    }
                    // No visible key, or all at -inf: the row attends to nothing and stays zero.
                    if (max == Double.NEGATIVE_INFINITY) continue;
                    double sum = 0;
                    for (int j = 0; j < sk; j++) {
                        scores[j] = visible[j] ? Math.exp(scores[j] - max) : 0;
                        sum += scores[j];
                    }
                    for (int c = 0; c < dv; c++) {
                        double acc = 0;
                        for (int j = 0; j < sk; j++) acc += scores[j] / sum * v.getDouble((b * sk + j) * dvAll + h * dv + c);
                        out[(b * sq + i) * dvAll + h * dv + c] = acc;
                    }
                }
            }
        }
        return Store.doubles(q.dtype(), new long[] {batch, sq, dvAll}, out);
    }

    private static String shapes(Tensor q, Tensor k, Tensor v) {
        return Arrays.toString(q.shape()) + ", " + Arrays.toString(k.shape()) + ", " + Arrays.toString(v.shape());
    }
}
