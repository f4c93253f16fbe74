package dev.lathe.runtime.kernels;

/**
 * A CSR weight re-laid for one row of X with vector permutes instead of gathers: output rows are cut
 * into slices of {@code lanes} rows (one row per vector lane) and input columns into blocks of
 * {@code 2 * lanes}. Cell (slice s, block b) holds {@code depth} steps of {@code lanes} slots: step k,
 * lane q is row {@code s * lanes + q}'s k-th stored entry inside block b, its value in {@link #values}
 * and its column relative to the block, a byte, in {@link #offsets} (a lane index for a two-vector
 * {@code selectFrom} over the block's x). Rows with fewer entries in a block
 * are padded with value 0 at offset 0. Cells are consecutive, slice-major; cell c spans slots
 * {@code [start[c], start[c + 1])}. Rows past the last whole slice stay CSR ({@link #tailRow}).
 *
 * <p>Built once per weight, at load ({@link CsrWeight}); costs {@code 5 * slots} bytes, about
 * 1.3x the CSR arrays at 90% sparsity (slots are about twice the stored count there, since every cell
 * is as deep as its fullest row). The kernel streams these bytes, so the one-byte offsets matter.
 */
final class SparseRowSlices {
    final int lanes;
    final int out;
    final int in;
    final int blocks;
    final int slices;
    final int tailRow;
    final int[] start;
    final float[] values;
    final byte[] offsets;

    private SparseRowSlices(int lanes, int out, int in, int[] start, float[] values, byte[] offsets) {
        this.lanes = lanes;
        this.out = out;
        this.in = in;
        this.blocks = blockCount(in, lanes);
        this.slices = out / lanes;
        this.tailRow = slices * lanes;
        this.start = start;
        this.values = values;
        this.offsets = offsets;
    }

    static int blockCount(int in, int lanes) {
        return (in + 2 * lanes - 1) / (2 * lanes);
    }

    /** Packs CSR rows [0, out) (columns below in, pointers already checked) into slices of {@code lanes} rows. */
    static SparseRowSlices pack(int lanes, int out, int in, float[] values, int[] columns, int[] rowPtr) {
        int width = 2 * lanes, blocks = blockCount(in, lanes), slices = out / lanes;
        int[] start = new int[slices * blocks + 1];
        int[] depth = new int[blocks];
        int[] count = new int[blocks];
        for (int s = 0; s < slices; s++) {
            java.util.Arrays.fill(depth, 0);
            for (int r = s * lanes; r < (s + 1) * lanes; r++) {
                java.util.Arrays.fill(count, 0);
                for (int e = rowPtr[r]; e < rowPtr[r + 1]; e++) depth[columns[e] / width] = Math.max(depth[columns[e] / width], ++count[columns[e] / width]);
            }
            for (int b = 0; b < blocks; b++) start[s * blocks + b + 1] = start[s * blocks + b] + depth[b] * lanes;
        }
        int slots = start[slices * blocks];
        float[] packedValues = new float[slots];
        byte[] offsets = new byte[slots];
        for (int s = 0; s < slices; s++) {
            for (int q = 0; q < lanes; q++) {
                int r = s * lanes + q;
                java.util.Arrays.fill(count, 0);
                for (int e = rowPtr[r]; e < rowPtr[r + 1]; e++) {
                    int b = columns[e] / width;
                    int slot = start[s * blocks + b] + count[b]++ * lanes + q;
                    packedValues[slot] = values[e];
                    offsets[slot] = (byte) (columns[e] - b * width);
                }
            }
        }
        return new SparseRowSlices(lanes, out, in, start, packedValues, offsets);
    }
}
