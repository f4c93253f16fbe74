package dev.lathe.runtime.kernels;

/**
 * A CSR weight W [out, in] that never changes (a compiled model's), checked and laid out once: its
 * stored arrays as given (read, never copied) and, with the Vector API, its {@link SparseRowSlices}
 * for one row of X, since permutes of x beat per-element gathers about 7x at 90% sparsity. Built at
 * load ({@code WeightPacking}, packing {@code csr:...}) and read by {@code SparseGemm.csr} and
 * {@code SparseGemm.linear}; immutable, so any number of threads share it.
 */
public final class CsrWeight {
    final int out;
    final int in;
    final float[] values;
    final int[] columns;
    final int[] rowPtr;
    /** Null without the Vector API or without a byte species of its lane count: every row count runs as CSR. */
    final SparseRowSlices slices;

    private CsrWeight(int out, int in, float[] values, int[] columns, int[] rowPtr, SparseRowSlices slices) {
        this.out = out;
        this.in = in;
        this.values = values;
        this.columns = columns;
        this.rowPtr = rowPtr;
        this.slices = slices;
    }

    /**
     * Checks the CSR structure (pointers from 0, never decreasing, inside the stored arrays; columns in
     * [0, in)) and packs the row slices for this JVM's vector width.
     */
    public static CsrWeight of(int out, int in, float[] values, int[] columns, int[] rowPtr) {
        Checks.nonNegative("CsrWeight", out, in);
        SparseGemm.pointers("rowPtr", rowPtr, out, Math.min(values.length, columns.length));
        for (int e = 0; e < rowPtr[out]; e++) {
            if (columns[e] < 0 || columns[e] >= in) throw new IllegalArgumentException("column " + columns[e] + " of entry " + e + " is outside [0, " + in + ")");
        }
        boolean sliced = Kernels.VECTOR && SparseGemmVector.slices();
        return new CsrWeight(out, in, values, columns, rowPtr, sliced ? SparseRowSlices.pack(SparseGemmVector.lanes(), out, in, values, columns, rowPtr) : null);
    }

    public int out() {
        return out;
    }

    public int in() {
        return in;
    }

    /** Whether one row of X runs on the row slices. */
    public boolean sliced() {
        return slices != null;
    }
}
