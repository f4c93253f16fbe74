package dev.lathe.interp;

import dev.lathe.ir.SparseFormat;
import dev.lathe.runtime.Tensor;
import java.util.Arrays;

/**
 * {@code sparse_linear}: a linear layer over a weight stored in a {@link SparseFormat}. The
 * reference semantics is exactly the masked dense product: {@link #sparseLinear} expands the parts
 * to the dense W (zeros outside the stored entries) and runs {@link LinalgOps#linear}, so its result
 * equals {@code linear(x, W_pruned, b)} bit for bit. {@link #spmm} is the sparse product itself
 * (only stored entries are visited), which backends follow; it agrees with the dense one within the
 * floating-point summation bound.
 */
public final class SparseOps {
    private SparseOps() {}

    public static Tensor sparseLinear(Tensor x, SparseFormat f, Tensor values, Tensor indices, Tensor pointers, Tensor bias) {
        return LinalgOps.linear(x, toDense(f, values, indices, pointers), bias);
    }

    /** The dense W [rows, cols] the parts describe, in the dtype of {@code values}. */
    public static Tensor toDense(SparseFormat f, Tensor values, Tensor indices, Tensor pointers) {
        int rows = Math.toIntExact(f.rows());
        int cols = Math.toIntExact(f.cols());
        double[] w = new double[rows * cols];
        switch (f.kind()) {
            case CSR -> {
                checkPointers(f, pointers, rows, values.size());
                for (int r = 0; r < rows; r++) {
                    for (int e = (int) pointers.getLong(r); e < pointers.getLong(r + 1); e++) {
                        w[r * cols + column(indices, e, cols)] = values.getDouble(e);
                    }
                }
            }
            case NM -> {
                int kept = cols / f.m() * f.n();
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < kept; j++) {
                        long at = indices.getLong(r * kept + j);
                        if (at < 0 || at >= f.m()) throw new InterpreterException("sparse_linear " + f + ": group position " + at + " out of range");
                        w[r * cols + (j / f.n()) * f.m() + (int) at] = values.getDouble(r * kept + j);
                    }
                }
            }
            case BSR -> {
                int br = f.blockRows(), bc = f.blockCols();
                int blockRowCount = rows / br;
                checkPointers(f, pointers, blockRowCount, indices.size());
                for (int rb = 0; rb < blockRowCount; rb++) {
                    for (int e = (int) pointers.getLong(rb); e < pointers.getLong(rb + 1); e++) {
                        int c0 = column(indices, e, cols / bc) * bc;
                        for (int i = 0; i < br; i++) {
                            for (int j = 0; j < bc; j++) w[(rb * br + i) * cols + c0 + j] = values.getDouble((e * br + i) * bc + j);
                        }
                    }
                }
            }
        }
        return Tensor.fromDoubles(values.dtype(), new long[] {rows, cols}, w);
    }

    /**
     * {@code x [..., cols] @ transpose(W) + bias} visiting only the stored entries, each output
     * accumulated in double in ascending column order and rounded once to x's dtype.
     */
    public static Tensor spmm(Tensor x, SparseFormat f, Tensor values, Tensor indices, Tensor pointers, Tensor bias) {
        int rows = Math.toIntExact(f.rows());
        int cols = Math.toIntExact(f.cols());
        if (x.rank() == 0 || x.dim(-1) != cols) throw new InterpreterException("sparse_linear: x " + Arrays.toString(x.shape()) + " vs " + cols + " inputs");
        int n = x.size() / cols;
        double[] xs = x.toDoubleArray();
        double[] vs = values.toDoubleArray();
        double[] out = new double[n * rows];
        for (int t = 0; t < n; t++) {
            int xo = t * cols;
            switch (f.kind()) {
                case CSR -> {
                    for (int r = 0; r < rows; r++) {
                        double s = bias == null ? 0 : bias.getDouble(r);
                        for (int e = (int) pointers.getLong(r); e < pointers.getLong(r + 1); e++) s += xs[xo + (int) indices.getLong(e)] * vs[e];
                        out[t * rows + r] = s;
                    }
                }
                case NM -> {
                    int kept = cols / f.m() * f.n();
                    for (int r = 0; r < rows; r++) {
                        double s = bias == null ? 0 : bias.getDouble(r);
                        for (int j = 0; j < kept; j++) {
                            s += xs[xo + (j / f.n()) * f.m() + (int) indices.getLong(r * kept + j)] * vs[r * kept + j];
                        }
                        out[t * rows + r] = s;
                    }
                }
                case BSR -> {
                    int br = f.blockRows(), bc = f.blockCols();
                    for (int rb = 0; rb < rows / br; rb++) {
                        for (int i = 0; i < br; i++) {
                            int r = rb * br + i;
                            double s = bias == null ? 0 : bias.getDouble(r);
                            for (int e = (int) pointers.getLong(rb); e < pointers.getLong(rb + 1); e++) {
                                int c0 = (int) indices.getLong(e) * bc;
                                for (int j = 0; j < bc; j++) s += xs[xo + c0 + j] * vs[(e * br + i) * bc + j];
                            }
                            out[t * rows + r] = s;
                        }
                    }
                }
            }
        }
        long[] shape = x.shape();
        shape[shape.length - 1] = rows;
        return Store.doubles(x.dtype(), shape, out);
    }

    private static void checkPointers(SparseFormat f, Tensor pointers, int count, int entries) {
        if (pointers == null || pointers.size() != count + 1 || pointers.getLong(0) != 0 || pointers.getLong(count) != entries) {
            throw new InterpreterException("sparse_linear " + f + ": row pointers do not cover the " + entries + " stored entries");
        }
        for (int i = 0; i < count; i++) {
            if (pointers.getLong(i) > pointers.getLong(i + 1)) throw new InterpreterException("sparse_linear " + f + ": row pointers decrease at " + i);
        }
    }

    private static int column(Tensor indices, int e, int limit) {
        long c = indices.getLong(e);
        if (c < 0 || c >= limit) throw new InterpreterException("sparse_linear: column index " + c + " out of range [0, " + limit + ")");
        return (int) c;
    }
}
