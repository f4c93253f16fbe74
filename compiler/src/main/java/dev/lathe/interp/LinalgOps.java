package dev.lathe.interp;

import dev.lathe.runtime.Tensor;
import java.util.Arrays;

/**
 * Matrix products [ONNX MatMul, Gemm transB=1]. Sums run in double in index order and round once
 * (integer dtypes are therefore exact only while partial sums stay below 2^53).
 */
public final class LinalgOps {
    private LinalgOps() {}

    /**
     * [MatMul]: {@code a: [..., n, k] @ b: [..., k, m] -> [..., n, m]} with numpy broadcasting of
     * the batch dims. A 1-D {@code a} is promoted to {@code [1, k]} and a 1-D {@code b} to
     * {@code [k, 1]}; the added dim is removed from the result.
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        ElementwiseOps.requireSameDtype("matmul", a, b);
        if (a.rank() == 0 || b.rank() == 0) throw new InterpreterException("matmul: operands must have rank >= 1, got ranks " + a.rank() + " and " + b.rank());
        long[] as = a.rank() == 1 ? new long[] {1, a.dim(0)} : a.shape();
        long[] bs = b.rank() == 1 ? new long[] {b.dim(0), 1} : b.shape();
        long n = as[as.length - 2];
        long k = as[as.length - 1];
        long m = bs[bs.length - 1];
        if (bs[bs.length - 2] != k) {
            throw new InterpreterException("matmul: inner dims differ: " + Arrays.toString(a.shape()) + " @ " + Arrays.toString(b.shape()));
        }
        long[] aBatch = Arrays.copyOf(as, as.length - 2);
        long[] bBatch = Arrays.copyOf(bs, bs.length - 2);
        long[] batch = Broadcasting.shape("matmul", aBatch, bBatch);
        int[] aOf = Broadcasting.sourceIndices("matmul", aBatch, batch);
        int[] bOf = Broadcasting.sourceIndices("matmul", bBatch, batch);
        int batches = aOf.length;
        double[] out = new double[Math.toIntExact(batches * n * m)];
        for (int bt = 0; bt < batches; bt++) {
            // a's matrix number aOf[bt] starts at aOf[bt] * n * k in a's flat data; likewise for b.
            int aBase = Math.toIntExact(aOf[bt] * n * k);
            int bBase = Math.toIntExact(bOf[bt] * k * m);
            int oBase = Math.toIntExact(bt * n * m);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) s += a.getDouble(aBase + (int) (i * k + p)) * b.getDouble(bBase + (int) (p * m + j));
                    out[oBase + (int) (i * m + j)] = s;
                }
            }
        }
        long[] shape = Arrays.copyOf(batch, batch.length + 2);
        shape[batch.length] = n;
        shape[batch.length + 1] = m;
        if (a.rank() == 1) shape = remove(shape, batch.length);
        if (b.rank() == 1) shape = remove(shape, shape.length - 1);
        return Store.doubles(a.dtype(), shape, out);
    }

    /** {@code x: [..., in] @ transpose(w: [out, in]) + b: [out] -> [..., out]}; {@code b} may be null. */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        ElementwiseOps.requireSameDtype("linear", x, w);
        if (x.rank() == 0 || w.rank() != 2) throw new InterpreterException("linear: x needs rank >= 1 and w rank 2, got " + Arrays.toString(x.shape()) + " and " + Arrays.toString(w.shape()));
        int in = (int) w.dim(1);
        int outDim = (int) w.dim(0);
        if (x.dim(-1) != in) throw new InterpreterException("linear: x " + Arrays.toString(x.shape()) + " does not match w " + Arrays.toString(w.shape()));
        if (b != null) {
            ElementwiseOps.requireSameDtype("linear", x, b);
            if (b.rank() != 1 || b.dim(0) != outDim) throw new InterpreterException("linear: bias " + Arrays.toString(b.shape()) + " does not match w " + Arrays.toString(w.shape()));
        }
        int rows = Axes.product(x.shape(), 0, x.rank() - 1);
        double[] out = new double[rows * outDim];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < outDim; o++) {
                double s = b == null ? 0 : b.getDouble(o);
                for (int i = 0; i < in; i++) s += x.getDouble(r * in + i) * w.getDouble(o * in + i);
                out[r * outDim + o] = s;
            }
        }
        long[] shape = x.shape();
        shape[shape.length - 1] = outDim;
        return Store.doubles(x.dtype(), shape, out);
    }

    /**
     * {@code x: [..., in] @ transpose(a: [r, in]) @ transpose(b: [out, r]) + bias: [out] -> [..., out]}
     * ({@code bias} may be null): two products through one [rows, r] intermediate, which stays in
     * double so the result is rounded once, like every other op; W = b a is never formed.
     */
    public static Tensor lowRankLinear(Tensor x, Tensor a, Tensor b, Tensor bias) {
        ElementwiseOps.requireSameDtype("lowrank_linear", x, a);
        ElementwiseOps.requireSameDtype("lowrank_linear", x, b);
        if (x.rank() == 0 || a.rank() != 2 || b.rank() != 2 || x.dim(-1) != a.dim(1) || b.dim(1) != a.dim(0)) {
            throw new InterpreterException("lowrank_linear: shapes do not fit: x " + Arrays.toString(x.shape()) + ", a "
                    + Arrays.toString(a.shape()) + ", b " + Arrays.toString(b.shape()));
        }
        int in = (int) a.dim(1);
        int rank = (int) a.dim(0);
        int outDim = (int) b.dim(0);
        if (bias != null) {
            ElementwiseOps.requireSameDtype("lowrank_linear", x, bias);
            if (bias.rank() != 1 || bias.dim(0) != outDim) {
                throw new InterpreterException("lowrank_linear: bias " + Arrays.toString(bias.shape()) + " does not match b " + Arrays.toString(b.shape()));
            }
        }
        int rows = Axes.product(x.shape(), 0, x.rank() - 1);
        double[] t = new double[rank];
        double[] out = new double[rows * outDim];
        for (int r = 0; r < rows; r++) {
            // t = x[r] @ a^T: [in] x [in, rank]
            for (int k = 0; k < rank; k++) {
                double s = 0;
                for (int i = 0; i < in; i++) s += x.getDouble(r * in + i) * a.getDouble(k * in + i);
                t[k] = s;
            }
            // out[r] = t @ b^T + bias: [rank] x [rank, out]
            for (int o = 0; o < outDim; o++) {
                double s = bias == null ? 0 : bias.getDouble(o);
                for (int k = 0; k < rank; k++) s += t[k] * b.getDouble(o * rank + k);
                out[r * outDim + o] = s;
            }
        }
        long[] shape = x.shape();
        shape[shape.length - 1] = outDim;
        return Store.doubles(x.dtype(), shape, out);
    }

    private static long[] remove(long[] shape, int axis) {
        long[] out = new long[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != axis) out[j++] = shape[i];
        }
        return out;
    }
}
