package dev.lathe.runtime.kernels;

/**
 * A batch of independent products {@code C_t = op(A_t) · op(B_t)}, t in [0, batch), where matrix t of
 * each operand starts at {@code off + t * stride}. A stride of 0 broadcasts one matrix to the whole
 * batch (for example a shared right operand). The op and leading-dimension conventions are those of
 * {@link Gemm#gemm(int, int, int, float[], int, int, boolean, float[], int, int, boolean, float[], int, int)}.
 * The batch is split across threads; each product runs on one thread.
 */
public final class BatchedMatMul {
    private BatchedMatMul() {}

    public static void matmul(int batch, int m, int n, int k,
                              float[] a, int aOff, int strideA, int lda, boolean transA,
                              float[] b, int bOff, int strideB, int ldb, boolean transB,
                              float[] c, int cOff, int strideC, int ldc, Parallelism par) {
        Checks.nonNegative("BatchedMatMul.matmul", batch, m, n, k, strideA, strideB, strideC);
        Checks.leading("lda", lda, transA ? m : k, transA ? k : m);
        Checks.leading("ldb", ldb, transB ? k : n, transB ? n : k);
        Checks.leading("ldc", ldc, n, m);
        Checks.par(par);
        if (batch == 0 || m == 0 || n == 0) return;
        // The last matrix of each operand is the farthest one: checking it and the first bounds them all.
        for (int t : new int[] {0, batch - 1}) {
            Checks.matrix("a", a, Math.addExact(aOff, Math.multiplyExact(t, strideA)), m, k, transA ? 1 : lda, transA ? lda : 1);
            Checks.matrix("b", b, Math.addExact(bOff, Math.multiplyExact(t, strideB)), k, n, transB ? 1 : ldb, transB ? ldb : 1);
            Checks.matrix("c", c, Math.addExact(cOff, Math.multiplyExact(t, strideC)), m, n, ldc, 1);
        }
        if (strideC == 0 && batch > 1) throw new IllegalArgumentException("strideC = 0 would write every product to the same C");
        int aRs = transA ? 1 : lda, aCs = transA ? lda : 1;
        int bRs = transB ? 1 : ldb, bCs = transB ? ldb : 1;
        if (batch == 1) {
            Gemm.unpacked(Kernels.VECTOR, m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, Epilogue.NONE, null, 0, par);
            return;
        }
        par.forWork(2L * batch * m * n * k, Parallelism.MIN_WORK_PER_THREAD).forEach(batch, t -> Gemm.unpacked(Kernels.VECTOR, m, n, k, a, aOff + t * strideA, aRs, aCs, b, bOff + t * strideB, bRs, bCs,
                c, cOff + t * strideC, ldc, Epilogue.NONE, null, 0, Parallelism.SERIAL));
    }
}
