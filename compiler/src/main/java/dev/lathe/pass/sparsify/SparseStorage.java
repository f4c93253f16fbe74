package dev.lathe.pass.sparsify;

import dev.lathe.ir.SparseFormat;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;

/**
 * The parts of a pruned weight in a {@link SparseFormat} (see there for the layouts): values in
 * the weight's dtype, indices and pointers i32; {@code pointers} is null for N:M. Every entry of
 * the mask is stored (also a kept weight that happens to be zero), so the stored count is the
 * mask's; BSR stores each kept block whole.
 */
public record SparseStorage(SparseFormat format, Tensor values, Tensor indices, Tensor pointers) {

    public static SparseStorage of(SparseFormat f, DType dtype, double[] w, boolean[] mask) {
        int rows = Math.toIntExact(f.rows());
        int cols = Math.toIntExact(f.cols());
        return switch (f.kind()) {
            case CSR -> {
                int nnz = Pruning.count(mask);
                double[] values = new double[nnz];
                long[] columns = new long[nnz];
                long[] pointers = new long[rows + 1];
                int e = 0;
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        if (!mask[r * cols + c]) continue;
                        values[e] = w[r * cols + c];
                        columns[e++] = c;
                    }
                    pointers[r + 1] = e;
                }
                yield new SparseStorage(f, Tensor.fromDoubles(dtype, new long[] {nnz}, values), Tensor.ofLongs(DType.I32, new long[] {nnz}, columns),
                        Tensor.ofLongs(DType.I32, new long[] {rows + 1}, pointers));
            }
            case NM -> {
                int kept = cols / f.m() * f.n();
                double[] values = new double[rows * kept];
                long[] at = new long[rows * kept];
                int e = 0;
                for (int g = 0; g < rows * cols; g += f.m()) {
                    int found = 0;
                    for (int j = 0; j < f.m(); j++) {
                        if (!mask[g + j]) continue;
                        values[e] = w[g + j];
                        at[e++] = j;
                        found++;
                    }
                    if (found != f.n()) throw new IllegalArgumentException("group at " + g + " keeps " + found + ", not " + f.n());
                }
                long[] shape = {rows, kept};
                yield new SparseStorage(f, Tensor.fromDoubles(dtype, shape, values), Tensor.ofLongs(DType.I32, shape, at), null);
            }
            case BSR -> {
                int br = f.blockRows(), bc = f.blockCols();
                int blockRows = rows / br, blockCols = cols / bc;
                int nb = 0;
                for (int rb = 0; rb < blockRows; rb++) {
                    for (int cb = 0; cb < blockCols; cb++) nb += mask[rb * br * cols + cb * bc] ? 1 : 0;
                }
                double[] values = new double[nb * br * bc];
                long[] columns = new long[nb];
                long[] pointers = new long[blockRows + 1];
                int e = 0;
                for (int rb = 0; rb < blockRows; rb++) {
                    for (int cb = 0; cb < blockCols; cb++) {
                        if (!mask[rb * br * cols + cb * bc]) continue;
                        for (int i = 0; i < br; i++) {
                            for (int j = 0; j < bc; j++) values[(e * br + i) * bc + j] = w[(rb * br + i) * cols + cb * bc + j];
                        }
                        columns[e++] = cb;
                    }
                    pointers[rb + 1] = e;
                }
                yield new SparseStorage(f, Tensor.fromDoubles(dtype, new long[] {nb, br, bc}, values), Tensor.ofLongs(DType.I32, new long[] {nb}, columns),
                        Tensor.ofLongs(DType.I32, new long[] {blockRows + 1}, pointers));
            }
        };
    }
}
