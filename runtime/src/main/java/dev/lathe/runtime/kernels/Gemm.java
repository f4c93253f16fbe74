package dev.lathe.runtime.kernels;

/**
 * FP32 matrix multiply, {@code C[m, n] = A[m, k] · B[k, n]} with a fused {@link Epilogue}. All
 * matrices are row-major {@code float[]} with an offset and a leading dimension (row stride), so a
 * kernel can work on a slice of a larger buffer. Outputs must not overlap inputs (except a residual
 * that is C itself, see {@link Epilogue}). Thread-safe: calls share nothing but the packed weights.
 *
 * <p>Use {@link #pack} once per weight at load time and the packed {@link #gemm(int, float[], int,
 * int, PackedMatrix, float[], int, int, Epilogue, Parallelism)} per call; the unpacked overloads pack
 * B into per-thread scratch on every call, for products of two activations.
 */
public final class Gemm {
    private Gemm() {}

    static int panelWidth(boolean vector) {
        return vector ? GemmVector.NR : GemmScalar.NR;
    }

    /**
     * Packs a right operand once. With {@code transposed} false, {@code w} at {@code off} is B [rows = k,
     * cols = n]; with {@code transposed} true it is W [rows = n, cols = k] and B = Wᵀ, which is how a
     * linear layer's weight [out, in] is used ({@code y = x·Wᵀ}).
     */
    public static PackedMatrix pack(float[] w, int off, int rows, int cols, boolean transposed) {
        Checks.nonNegative("Gemm.pack", rows, cols);
        Checks.matrix("w", w, off, rows, cols, cols, 1);
        return PackedMatrix.pack(w, off, rows, cols, transposed, panelWidth(Kernels.VECTOR));
    }

    /**
     * {@code C[m, b.n()] = epilogue(A[m, b.k()] · B)}; A row i starts at {@code aOff + i * lda}, C row i
     * at {@code cOff + i * ldc}.
     */
    public static void gemm(int m, float[] a, int aOff, int lda, PackedMatrix b, float[] c, int cOff, int ldc,
                            Epilogue epilogue, Parallelism par) {
        if (b == null) throw new IllegalArgumentException("b must not be null");
        int n = b.n(), k = b.k();
        Checks.nonNegative("Gemm.gemm", m);
        Checks.leading("lda", lda, k, m);
        Checks.leading("ldc", ldc, n, m);
        Checks.matrix("a", a, aOff, m, k, lda, 1);
        Checks.matrix("c", c, cOff, m, n, ldc, 1);
        Checks.epilogue(epilogue, m, n);
        Checks.par(par);
        if (m == 0 || n == 0) return;
        run(Kernels.VECTOR, m, a, aOff, lda, 1, b, c, cOff, ldc, epilogue, null, 0, par);
    }

    /** {@code C = op(A) · op(B)} on one thread, op being a transpose when the flag is set. */
    public static void gemm(int m, int n, int k, float[] a, int aOff, int lda, boolean transA,
                            float[] b, int bOff, int ldb, boolean transB, float[] c, int cOff, int ldc) {
        gemm(m, n, k, a, aOff, lda, transA, b, bOff, ldb, transB, c, cOff, ldc, Epilogue.NONE, Parallelism.SERIAL);
    }

    /**
     * {@code C[m, n] = epilogue(op(A) · op(B))}: op(A) [m, k] is A (stored [m, k], row stride lda) or,
     * with {@code transA}, Aᵀ (A stored [k, m]); likewise op(B) [k, n] is B (stored [k, n]) or, with
     * {@code transB}, Bᵀ (B stored [n, k]).
     */
    public static void gemm(int m, int n, int k, float[] a, int aOff, int lda, boolean transA,
                            float[] b, int bOff, int ldb, boolean transB, float[] c, int cOff, int ldc,
                            Epilogue epilogue, Parallelism par) {
        Checks.nonNegative("Gemm.gemm", m, n, k);
        Checks.leading("lda", lda, transA ? m : k, transA ? k : m);
        Checks.leading("ldb", ldb, transB ? k : n, transB ? n : k);
        Checks.leading("ldc", ldc, n, m);
        Checks.matrix("a", a, aOff, m, k, transA ? 1 : lda, transA ? lda : 1);
        Checks.matrix("b", b, bOff, k, n, transB ? 1 : ldb, transB ? ldb : 1);
        Checks.matrix("c", c, cOff, m, n, ldc, 1);
        Checks.epilogue(epilogue, m, n);
        Checks.par(par);
        if (m == 0 || n == 0) return;
        unpacked(Kernels.VECTOR, m, n, k, a, aOff, transA ? 1 : lda, transA ? lda : 1, b, bOff, transB ? 1 : ldb, transB ? ldb : 1,
                c, cOff, ldc, epilogue, null, 0, par);
    }

    /** Unchecked: packs B(p, j) = b[bOff + p * bRs + j * bCs] into scratch and runs the packed kernel. */
    static void unpacked(boolean vector, int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff, int bRs, int bCs,
                         float[] c, int cOff, int ldc, Epilogue ep, float[] rowBias, int rowBiasOff, Parallelism par) {
        int nr = panelWidth(vector);
        float[] packed = Scratch.get(Scratch.GEMM_B, PackedMatrix.size(k, n, nr));
        PackedMatrix.packInto(packed, b, bOff, k, n, bRs, bCs, nr);
        run(vector, m, a, aOff, aRs, aCs, PackedMatrix.wrap(k, n, nr, packed), c, cOff, ldc, ep, rowBias, rowBiasOff, par);
    }

    /**
     * Unchecked dispatch; A(i, p) = a[aOff + i * aRs + p * aCs]; {@code rowBias} (nullable) adds
     * {@code rowBias[rowBiasOff + i]} to row i with the column bias.
     */
    static void run(boolean vector, int m, float[] a, int aOff, int aRs, int aCs, PackedMatrix b, float[] c, int cOff, int ldc,
                    Epilogue ep, float[] rowBias, int rowBiasOff, Parallelism par) {
        if (vector && b.panelWidth() == GemmVector.NR) {
            GemmVector.gemm(m, a, aOff, aRs, aCs, b, c, cOff, ldc, ep, rowBias, rowBiasOff, par);
        } else {
            GemmScalar.gemm(m, a, aOff, aRs, aCs, b, c, cOff, ldc, ep, rowBias, rowBiasOff, par);
        }
    }
}
