package dev.lathe.ir;

import java.util.Objects;

/**
 * How a {@link Node.SparseLinear} stores its pruned weight W [rows, cols] = [out, in]:
 * <ul>
 *   <li>{@code CSR}: values [nnz], column indices i32 [nnz], row pointers i32 [rows + 1];</li>
 *   <li>{@code NM} ({@code n} kept of every aligned group of {@code m} inputs): values
 *       [rows, cols / m * n] and i32 positions inside the group [rows, cols / m * n], 0..m-1, ascending
 *       within a group; entry j of row o is column {@code (j / n) * m + index};</li>
 *   <li>{@code BSR} (blocks [blockRows, blockCols]): values [nb, blockRows, blockCols], block-column
 *       indices i32 [nb], block-row pointers i32 [rows / blockRows + 1].</li>
 * </ul>
 * {@code n, m} are 0 unless NM, the block sides 0 unless BSR.
 */
public record SparseFormat(Kind kind, long rows, long cols, int n, int m, int blockRows, int blockCols) {
    public enum Kind { CSR, NM, BSR }

    public SparseFormat {
        Objects.requireNonNull(kind, "kind");
        if (rows < 1 || cols < 1) throw new IllegalArgumentException("sparse weight shape [" + rows + ", " + cols + "]");
        switch (kind) {
            case CSR -> {
                if (n != 0 || m != 0 || blockRows != 0 || blockCols != 0) throw new IllegalArgumentException("csr takes no n, m or block");
            }
            case NM -> {
                if (!(0 < n && n < m) || cols % m != 0 || blockRows != 0 || blockCols != 0) {
                    throw new IllegalArgumentException("n:m needs 0 < n < m and m dividing cols, got " + n + ":" + m + " on " + cols);
                }
            }
            case BSR -> {
                if (blockRows < 1 || blockCols < 1 || rows % blockRows != 0 || cols % blockCols != 0 || n != 0 || m != 0) {
                    throw new IllegalArgumentException("bsr blocks " + blockRows + "x" + blockCols + " must tile [" + rows + ", " + cols + "]");
                }
            }
        }
    }

    public static SparseFormat csr(long rows, long cols) {
        return new SparseFormat(Kind.CSR, rows, cols, 0, 0, 0, 0);
    }

    public static SparseFormat nm(long rows, long cols, int n, int m) {
        return new SparseFormat(Kind.NM, rows, cols, n, m, 0, 0);
    }

    public static SparseFormat bsr(long rows, long cols, int blockRows, int blockCols) {
        return new SparseFormat(Kind.BSR, rows, cols, 0, 0, blockRows, blockCols);
    }

    /** Whether the format has row pointers (CSR and BSR). */
    public boolean hasPointers() {
        return kind != Kind.NM;
    }

    /** {@code csr}, {@code 2:4}, {@code bsr 4x4}. */
    @Override
    public String toString() {
        return switch (kind) {
            case CSR -> "csr";
            case NM -> n + ":" + m;
            case BSR -> "bsr " + blockRows + "x" + blockCols;
        };
    }
}
