package dev.lathe.interp;

import dev.lathe.ir.Node;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.kernels.LinearAttention;

/**
 * {@code linear_attention}, the approximations of softmax attention that {@code kernelize} puts in
 * place of {@link AttentionOps#attention}; the arithmetic is the runtime's {@link LinearAttention}
 * (one implementation for the interpreter and generated code), computed in double and rounded once
 * to q's dtype.
 */
public final class LinearAttentionOps {
    private LinearAttentionOps() {}

    public static Tensor attention(Tensor q, Tensor k, Tensor v, int heads, Node.KernelMethod method, int size, long seed, boolean causal,
                                   double scale) {
        ElementwiseOps.requireSameDtype("linear_attention", q, k);
        ElementwiseOps.requireSameDtype("linear_attention", q, v);
        if (q.rank() != 3 || k.rank() != 3 || v.rank() != 3) throw new InterpreterException("linear_attention: q, k, v must be [B, S, D]");
        int batch = (int) q.dim(0), sq = (int) q.dim(1), d = (int) q.dim(2);
        int sk = (int) k.dim(1), dvAll = (int) v.dim(2);
        if (k.dim(0) != batch || v.dim(0) != batch || k.dim(2) != d || v.dim(1) != sk) {
            throw new InterpreterException("linear_attention: q, k, v do not fit together");
        }
        if (heads <= 0 || d % heads != 0 || dvAll % heads != 0) {
            throw new InterpreterException("linear_attention: heads = " + heads + " must divide D = " + d + " and Dv = " + dvAll);
        }
        if (method == Node.KernelMethod.NYSTROM && causal) throw new InterpreterException("linear_attention: nystrom needs causal = false");
        double[] out = LinearAttention.forward(q.toDoubleArray(), k.toDoubleArray(), v.toDoubleArray(), batch, sq, sk, heads, d / heads,
                dvAll / heads, method.ordinal(), size, seed, causal, scale);
        return Store.doubles(q.dtype(), new long[] {batch, sq, dvAll}, out);
    }
}
