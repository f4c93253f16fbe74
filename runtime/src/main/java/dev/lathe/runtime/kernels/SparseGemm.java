package dev.lathe.runtime.kernels;

import java.util.Arrays;

/**
 * FP32 product with a sparse weight, {@code Y[m, out] = epilogue(X[m, in] · Wᵀ)} for a linear layer's
 * weight W [out, in] stored as CSR or BSR (a layout the caller keeps: the arrays are read, never
 * copied). N:M weights run as CSR: with absolute column indices and row pointers {@code r * kept}
 * they are CSR rows of equal length. X row t starts at {@code xOff + t * ldx}, Y row t at
 * {@code yOff + t * ldy}; the epilogue's bias is indexed by the output unit (length out) and its
 * residual is [m, out]. Thread-safe.
 *
 * <p>Every output is one dot product over the stored entries of its row, in ascending storage order
 * within each vector lane, so the result differs from the masked dense product only by float
 * summation order: within {@code gamma(nnz_row) * sum |w x|}, {@code gamma(k) = k u / (1 - k u)}.
 *
 * <p>Schedules: few rows of X ({@code m < }{@link #TRANSPOSE_FROM_ROWS}) run a dot per output and X
 * row (CSR: a gather dot, or for a constant {@link CsrWeight} its row slices; 4x4-like
 * BSR: one FMA per block against x replicated per block column); more rows transpose X once into
 * scratch [in, m] so that each stored weight does one vector FMA over a run of X rows. Work is split
 * over the output rows.
 */
public final class SparseGemm {
    /**
     * From this many rows of X on, X is transposed so each stored weight is one FMA over the rows
     * (measured on a busy 2-core AMD EPYC, CSR 90% of 1024x1024: at 1 row the gather dot takes 55 us and
     * the transposed schedule 212; at 4 rows 254 and 216).
     */
    static final int TRANSPOSE_FROM_ROWS = 2;

    private SparseGemm() {}

    /**
     * CSR: the stored entries of row r (of {@code out}) are {@code e} in
     * {@code [rowPtr[r], rowPtr[r + 1])}, value {@code values[e]} at column {@code columns[e]} (of {@code in}).
     */
    public static void csr(int m, float[] x, int xOff, int ldx, int out, int in, float[] values, int[] columns, int[] rowPtr,
                           float[] y, int yOff, int ldy, Epilogue ep, Parallelism par) {
        check("SparseGemm.csr", m, x, xOff, ldx, out, in, y, yOff, ldy, ep, par);
        pointers("rowPtr", rowPtr, out, Math.min(values.length, columns.length));
        if (m == 0 || out == 0) return;
        run(Kernels.VECTOR, m, x, xOff, ldx, out, in, 1, 1, values, columns, rowPtr, y, yOff, ldy, ep, par);
    }

    /**
     * BSR with blocks [br, bc]: the blocks of block row rb are {@code e} in
     * {@code [blockRowPtr[rb], blockRowPtr[rb + 1])}, at block column {@code blockColumns[e]}, values
     * {@code values[(e * br + i) * bc + j]} row-major inside the block.
     */
    public static void bsr(int m, float[] x, int xOff, int ldx, int out, int in, int br, int bc, float[] values, int[] blockColumns,
                           int[] blockRowPtr, float[] y, int yOff, int ldy, Epilogue ep, Parallelism par) {
        check("SparseGemm.bsr", m, x, xOff, ldx, out, in, y, yOff, ldy, ep, par);
        if (br < 1 || bc < 1 || out % br != 0 || in % bc != 0) {
            throw new IllegalArgumentException("SparseGemm.bsr: blocks " + br + "x" + bc + " must tile [" + out + ", " + in + "]");
        }
        pointers("blockRowPtr", blockRowPtr, out / br, Math.min(values.length / (br * bc), blockColumns.length));
        if (m == 0 || out == 0) return;
        run(Kernels.VECTOR, m, x, xOff, ldx, out, in, br, bc, values, blockColumns, blockRowPtr, y, yOff, ldy, ep, par);
    }

    /**
     * {@link #csr} for a weight laid out once ({@link CsrWeight}, already checked): one row of X runs on its
     * row slices when it has them (Vector API), any other row count as CSR.
     */
    public static void csr(int m, float[] x, int xOff, int ldx, CsrWeight w, float[] y, int yOff, int ldy, Epilogue ep, Parallelism par) {
        check("SparseGemm.csr", m, x, xOff, ldx, w.out, w.in, y, yOff, ldy, ep, par);
        if (m == 0 || w.out == 0) return;
        if (m == 1 && w.slices != null) sliced(x, xOff, w.values, w.columns, w.rowPtr, w.slices, y, yOff, ep, par);
        else run(Kernels.VECTOR, m, x, xOff, ldx, w.out, w.in, 1, 1, w.values, w.columns, w.rowPtr, y, yOff, ldy, ep, par);
    }

    /**
     * A compiled BSR {@code sparse_linear}: {@code y[m, out] = act(x[m, in] · Wᵀ + bias)} (x and y dense at offset 0);
     * when {@code dense} (W packed for {@link Gemm}, nullable) is given and the call has at least
     * {@code denseFromRows} rows, the dense GEMM runs instead, as the cost model chose for that batch
     * size. 1x1 blocks run as plain {@link #csr} (no row slices: compiled CSR weights come as a {@link CsrWeight}).
     */
    public static void linear(int m, float[] x, int out, int in, int br, int bc, float[] values, int[] indices, int[] pointers, float[] bias,
                              Activation act, PackedMatrix dense, int denseFromRows, float[] y, Parallelism par) {
        Epilogue ep = epilogue(bias, act);
        if (dense != null && m >= denseFromRows) Gemm.gemm(m, x, 0, in, dense, y, 0, out, ep, par);
        else if (br == 1 && bc == 1) csr(m, x, 0, in, out, in, values, indices, pointers, y, 0, out, ep, par);
        else bsr(m, x, 0, in, out, in, br, bc, values, indices, pointers, y, 0, out, ep, par);
    }

    /** A compiled CSR (or N:M) {@code sparse_linear}: as the BSR {@link #linear}, over a weight laid out at load. */
    public static void linear(int m, float[] x, CsrWeight w, float[] bias, Activation act, PackedMatrix dense, int denseFromRows, float[] y,
                              Parallelism par) {
        Epilogue ep = epilogue(bias, act);
        if (dense != null && m >= denseFromRows) Gemm.gemm(m, x, 0, w.in, dense, y, 0, w.out, ep, par);
        else csr(m, x, 0, w.in, w, y, 0, w.out, ep, par);
    }

    private static Epilogue epilogue(float[] bias, Activation act) {
        return bias == null && act == Activation.NONE ? Epilogue.NONE : Epilogue.of(bias, act);
    }

    /** One row of X times a sliced CSR weight; rows past the last whole slice run as CSR dots. */
    static void sliced(float[] x, int xOff, float[] values, int[] columns, int[] rowPtr, SparseRowSlices w, float[] y, int yOff, Epilogue ep,
                       Parallelism par) {
        // xp: x zero-padded to whole column blocks, shared read-only by the tasks.
        int padded = w.blocks * 2 * w.lanes;
        float[] xp = Scratch.get(Scratch.SPARSE_X, padded);
        System.arraycopy(x, xOff, xp, 0, w.in);
        Arrays.fill(xp, w.in, padded, 0f);
        Parallelism p = par.forWork(2L * w.start[w.start.length - 1], Parallelism.MIN_WORK_PER_THREAD);
        int slices = w.slices, tasks = Math.min(slices, p.threads() == 1 ? 1 : 4 * p.threads());
        if (tasks > 0) {
            p.forEach(tasks, t -> {
                int s0 = (int) ((long) slices * t / tasks), s1 = (int) ((long) slices * (t + 1) / tasks);
                SparseGemmVector.sliceDots(xp, w, s0, s1, y, yOff, ep);
            });
        }
        if (w.tailRow < w.out) SparseGemmVector.dots(1, x, xOff, w.in, 1, 1, values, columns, rowPtr, w.tailRow, w.out, y, yOff, 0, ep);
    }

    /** Unchecked dispatch; CSR is BSR with 1x1 blocks. */
    static void run(boolean vector, int m, float[] x, int xOff, int ldx, int out, int in, int br, int bc, float[] values, int[] columns,
                    int[] ptr, float[] y, int yOff, int ldy, Epilogue ep, Parallelism par) {
        int blockRows = out / br;
        long work = 2L * m * ptr[blockRows] * br * bc;
        Parallelism p = par.forWork(work, Parallelism.MIN_WORK_PER_THREAD);
        int tasks = Math.min(blockRows, p.threads() == 1 ? 1 : 4 * p.threads());
        if (vector && m == 1 && br * bc > 1 && SparseGemmVector.replicates(br, bc)) {
            // xr [in / bc, L]: x replicated per block column, shared read-only by the tasks.
            float[] xr = Scratch.get(Scratch.SPARSE_X, in / bc * SparseGemmVector.paddedRows(1));
            SparseGemmVector.replicate(x, xOff, in, bc, xr);
            p.forEach(tasks, t -> {
                int r0 = (int) ((long) blockRows * t / tasks), r1 = (int) ((long) blockRows * (t + 1) / tasks);
                SparseGemmVector.replicatedBlockDots(xr, br, bc, values, columns, ptr, r0, r1, y, yOff, ep);
            });
            return;
        }
        if (m < TRANSPOSE_FROM_ROWS) {
            p.forEach(tasks, t -> {
                int r0 = (int) ((long) blockRows * t / tasks), r1 = (int) ((long) blockRows * (t + 1) / tasks);
                if (vector) SparseGemmVector.dots(m, x, xOff, ldx, br, bc, values, columns, ptr, r0, r1, y, yOff, ldy, ep);
                else SparseGemmScalar.dots(m, x, xOff, ldx, br, bc, values, columns, ptr, r0, r1, y, yOff, ldy, ep);
            });
            return;
        }
        // xt [in, mp]: X transposed, rows padded with zeros to a whole number of vectors.
        int mp = vector ? SparseGemmVector.paddedRows(m) : m;
        float[] xt = Scratch.get(Scratch.SPARSE_X, in * mp);
        transpose(m, x, xOff, ldx, in, xt, mp);
        p.forEach(tasks, t -> {
            int r0 = (int) ((long) blockRows * t / tasks), r1 = (int) ((long) blockRows * (t + 1) / tasks);
            if (vector) SparseGemmVector.transposed(m, mp, xt, br, bc, values, columns, ptr, r0, r1, y, yOff, ldy, ep);
            else SparseGemmScalar.transposed(m, mp, xt, br, bc, values, columns, ptr, r0, r1, y, yOff, ldy, ep);
        });
    }

    private static void transpose(int m, float[] x, int xOff, int ldx, int in, float[] xt, int mp) {
        for (int t = 0; t < m; t++) {
            int xi = xOff + t * ldx;
            for (int c = 0; c < in; c++) xt[c * mp + t] = x[xi + c];
        }
        for (int c = 0; c < in; c++) {
            for (int t = m; t < mp; t++) xt[c * mp + t] = 0f;
        }
    }

    /** Y[t, r] = act(acc + bias[r]) + residual[t, r]. */
    static void store(float acc, int t, int r, float[] y, int yOff, int ldy, Epilogue ep) {
        float v = acc;
        if (ep.bias() != null) v += ep.bias()[ep.biasOff() + r];
        if (ep.act() != Activation.NONE) v = ActivationsScalar.apply(ep.act(), v);
        if (ep.residual() != null) v += ep.residual()[ep.resOff() + t * ep.ldr() + r];
        y[yOff + t * ldy + r] = v;
    }

    private static void check(String what, int m, float[] x, int xOff, int ldx, int out, int in, float[] y, int yOff, int ldy, Epilogue ep,
                              Parallelism par) {
        Checks.nonNegative(what, m, out, in, xOff, yOff);
        Checks.leading("ldx", ldx, in, m);
        Checks.leading("ldy", ldy, out, m);
        Checks.matrix("x", x, xOff, m, in, ldx, 1);
        Checks.matrix("y", y, yOff, m, out, ldy, 1);
        Checks.epilogue(ep, m, out);
        Checks.par(par);
    }

    /** Pointers must start at 0, never decrease and end inside the stored arrays (indices are bounds-checked by the JVM). */
    static void pointers(String what, int[] ptr, int count, int stored) {
        if (ptr == null || ptr.length < count + 1) throw new IllegalArgumentException(what + " needs " + (count + 1) + " entries");
        if (ptr[0] != 0 || ptr[count] > stored) throw new IllegalArgumentException(what + " must run from 0 to at most " + stored + ", got " + ptr[0] + ".." + ptr[count]);
        for (int i = 0; i < count; i++) {
            if (ptr[i] > ptr[i + 1]) throw new IllegalArgumentException(what + " decreases at " + i);
        }
    }
}
