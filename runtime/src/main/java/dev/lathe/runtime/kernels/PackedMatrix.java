package dev.lathe.runtime.kernels;

/**
 * A GEMM right operand B [k, n] repacked once (at model load) into the layout the micro-kernel streams:
 * column panels {@code nr} wide, each panel holding its k rows one after another,
 * <pre>
 *   data[(j / nr) * k * nr + p * nr + j % nr] = B[p, j]     // the last panel padded with zeros
 * </pre>
 * Made by {@link Gemm#pack}; the panel width is the active implementation's, so a matrix packed
 * before start-up finishes choosing is still valid. Immutable once made, so one packed weight may
 * serve any number of concurrent GEMMs.
 */
public final class PackedMatrix {
    private final int k;
    private final int n;
    private final int nr;
    private final float[] data;

    PackedMatrix(int k, int n, int nr, float[] data) {
        this.k = k;
        this.n = n;
        this.nr = nr;
        this.data = data;
    }

    /** Rows of B: the reduction length. */
    public int k() { return k; }

    /** Columns of B: the GEMM's output width. */
    public int n() { return n; }

    /** Panel width. */
    public int panelWidth() { return nr; }

    /** Bytes held, for memory reports. */
    public long bytes() { return 4L * data.length; }

    float[] data() { return data; }

    /** B[p, j], for tests and slow paths. */
    public float get(int p, int j) {
        if (p < 0 || p >= k || j < 0 || j >= n) throw new IndexOutOfBoundsException("(" + p + ", " + j + ") outside [" + k + ", " + n + "]");
        return data[(j / nr) * k * nr + p * nr + j % nr];
    }

    /**
     * Packs {@code rows x cols} of {@code src} at {@code off} (row-major, dense): when
     * {@code transposed} the source is W [n, k] (a linear weight [out, in], used as x·Wᵀ), otherwise
     * it is B [k, n].
     */
    static PackedMatrix pack(float[] src, int off, int rows, int cols, boolean transposed, int nr) {
        int k = transposed ? cols : rows;
        int n = transposed ? rows : cols;
        float[] data = new float[size(k, n, nr)];
        packInto(data, src, off, k, n, transposed ? 1 : n, transposed ? k : 1, nr);
        return new PackedMatrix(k, n, nr, data);
    }

    /** Floats needed to pack B [k, n] with panel width nr. */
    static int size(int k, int n, int nr) {
        long panels = (n + (long) nr - 1) / nr;
        long size = panels * k * nr;
        if (size > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("packed matrix [" + k + ", " + n + "] is too large");
        return (int) size;
    }

    /** Packs B(p, j) = src[off + p * sP + j * sJ] into {@code dst} (at least {@link #size} long). */
    static void packInto(float[] dst, float[] src, int off, int k, int n, int sP, int sJ, int nr) {
        int panels = (n + nr - 1) / nr;
        for (int jp = 0; jp < panels; jp++) {
            int j0 = jp * nr;
            int w = Math.min(nr, n - j0);
            int base = jp * k * nr;
            if (sJ == 1) {
                for (int p = 0; p < k; p++) {
                    int d = base + p * nr;
                    System.arraycopy(src, off + p * sP + j0, dst, d, w);
                    for (int jj = w; jj < nr; jj++) dst[d + jj] = 0f;
                }
            } else {
                for (int p = 0; p < k; p++) {
                    int d = base + p * nr;
                    int s = off + p * sP + j0 * sJ;
                    for (int jj = 0; jj < w; jj++) dst[d + jj] = src[s + jj * sJ];
                    for (int jj = w; jj < nr; jj++) dst[d + jj] = 0f;
                }
            }
        }
    }

    /** A view of {@code data} (already packed) as B [k, n]. */
    static PackedMatrix wrap(int k, int n, int nr, float[] data) {
        return new PackedMatrix(k, n, nr, data);
    }

    @Override
    public String toString() {
        return "PackedMatrix[k=" + k + ", n=" + n + ", nr=" + nr + "]";
    }
}
