package dev.lathe.runtime.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API {@link SparseGemm}. Few rows of X: CSR gathers X at the stored columns (two accumulators
 * for the FMA latency); BSR blocks whose rows fill whole vectors (4x4) multiply X replicated per block
 * column, other BSR loads each block row's columns contiguously with the widest species that divides
 * the block width. Many rows: X transposed [in, mp],
 * each stored weight is broadcast and FMA'd over mp rows of X, two vectors at a time. Vector values
 * stay in locals inside the loops (DESIGN.md §6: no helper takes or returns a Vector).
 */
final class SparseGemmVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorSpecies<Float> S128 = FloatVector.SPECIES_128;
    private static final VectorSpecies<Float> S256 = FloatVector.SPECIES_256;
    @SuppressWarnings("unchecked")
    private static final VectorSpecies<Integer> I = (VectorSpecies<Integer>) S.withLanes(int.class);
    /** L bytes: a row slice step's lane offsets (L >= 8 for a byte species to exist). */
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, L * 8)));

    private SparseGemmVector() {}

    static int paddedRows(int m) {
        return (m + L - 1) / L * L;
    }

    static void dots(int m, float[] x, int xOff, int ldx, int br, int bc, float[] values, int[] columns, int[] ptr, int r0, int r1,
                     float[] y, int yOff, int ldy, Epilogue ep) {
        if (br == 1 && bc == 1) csrDots(m, x, xOff, ldx, values, columns, ptr, r0, r1, y, yOff, ldy, ep);
        else if (bc % L == 0) blockDots(m, x, xOff, ldx, br, bc, values, columns, ptr, r0, r1, y, yOff, ldy, ep);
        else if (bc % 8 == 0 && L > 8) blockDots256(m, x, xOff, ldx, br, bc, values, columns, ptr, r0, r1, y, yOff, ldy, ep);
        else if (bc % 4 == 0 && L > 4) blockDots128(m, x, xOff, ldx, br, bc, values, columns, ptr, r0, r1, y, yOff, ldy, ep);
        else SparseGemmScalar.dots(m, x, xOff, ldx, br, bc, values, columns, ptr, r0, r1, y, yOff, ldy, ep);
    }

    private static void csrDots(int m, float[] x, int xOff, int ldx, float[] values, int[] columns, int[] ptr, int r0, int r1,
                                float[] y, int yOff, int ldy, Epilogue ep) {
        for (int r = r0; r < r1; r++) {
            int e0 = ptr[r], e1 = ptr[r + 1];
            for (int t = 0; t < m; t++) {
                int xi = xOff + t * ldx;
                FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S);
                int e = e0;
                for (; e + 2 * L <= e1; e += 2 * L) {
                    acc0 = FloatVector.fromArray(S, values, e).fma(FloatVector.fromArray(S, x, xi, columns, e), acc0);
                    acc1 = FloatVector.fromArray(S, values, e + L).fma(FloatVector.fromArray(S, x, xi, columns, e + L), acc1);
                }
                if (e + L <= e1) {
                    acc0 = FloatVector.fromArray(S, values, e).fma(FloatVector.fromArray(S, x, xi, columns, e), acc0);
                    e += L;
                }
                // Rows are short (about 100 entries at 90% of 1024): a masked tail beats a scalar one. Compiled
                // masked gathers bounds-check the whole index vector, so the last L entries take the scalar tail.
                if (e < e1 && e + L <= columns.length && e + L <= values.length) {
                    VectorMask<Float> tail = S.indexInRange(e, e1);
                    acc1 = FloatVector.fromArray(S, values, e, tail).fma(FloatVector.fromArray(S, x, xi, columns, e, tail), acc1);
                    e = e1;
                }
                float s = VectorSums.sum(acc0.add(acc1));
                for (; e < e1; e++) s += values[e] * x[xi + columns[e]];
                SparseGemm.store(s, t, r, y, yOff, ldy, ep);
            }
        }
    }

    /**
     * Slices [s0, s1) of a {@link SparseRowSlices} weight (built with {@link #L} lanes) times one row of
     * X, xp = x zero-padded to whole blocks: per column block its two x vectors are loaded once, and
     * each step picks every lane's x with one two-vector {@code selectFrom} (a permute, where a gather
     * would fetch x element by element) and FMAs it with the step's values, so lane q sums row q. The
     * loop streams 5 bytes per slot (f32 value, byte offset) and is bound by that bandwidth.
     */
    static void sliceDots(float[] xp, SparseRowSlices w, int s0, int s1, float[] y, int yOff, Epilogue ep) {
        float[] values = w.values;
        byte[] offsets = w.offsets;
        int[] start = w.start;
        int blocks = w.blocks;
        for (int s = s0; s < s1; s++) {
            FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S);
            for (int b = 0; b < blocks; b++) {
                // x as int bits: the offsets widen to ints, and an int selectFrom needs no float-to-index conversion.
                IntVector lo = FloatVector.fromArray(S, xp, 2 * L * b).reinterpretAsInts(), hi = FloatVector.fromArray(S, xp, 2 * L * b + L).reinterpretAsInts();
                int e = start[s * blocks + b], e1 = start[s * blocks + b + 1];
                for (; e + 2 * L <= e1; e += 2 * L) {
                    IntVector o0 = (IntVector) ByteVector.fromArray(B, offsets, e).convertShape(VectorOperators.B2I, I, 0);
                    IntVector o1 = (IntVector) ByteVector.fromArray(B, offsets, e + L).convertShape(VectorOperators.B2I, I, 0);
                    acc0 = FloatVector.fromArray(S, values, e).fma(o0.selectFrom(lo, hi).reinterpretAsFloats(), acc0);
                    acc1 = FloatVector.fromArray(S, values, e + L).fma(o1.selectFrom(lo, hi).reinterpretAsFloats(), acc1);
                }
                if (e < e1) {
                    IntVector o0 = (IntVector) ByteVector.fromArray(B, offsets, e).convertShape(VectorOperators.B2I, I, 0);
                    acc0 = FloatVector.fromArray(S, values, e).fma(o0.selectFrom(lo, hi).reinterpretAsFloats(), acc0);
                }
            }
            // Rows s L .. s L + L - 1 of y are contiguous: one store (the epilogue follows on all of them).
            acc0.add(acc1).intoArray(y, yOff + s * L);
        }
        if (!ep.isIdentity() && s1 > s0) GemmVector.epilogue(y, yOff, 0, 0, 1, s0 * L, (s1 - s0) * L, ep, null, 0, true);
    }

    /** Whether {@link #sliceDots} can run: a byte species of L lanes exists from 8 lanes on. */
    static boolean slices() {
        return L >= 8;
    }

    static int lanes() {
        return L;
    }

    /**
     * Whether one row of X runs as {@link #replicatedBlockDots}: a block is a whole number of vectors and
     * a vector a whole number of block rows (4x4 blocks with 8 or 16 lanes).
     */
    static boolean replicates(int br, int bc) {
        return L % bc == 0 && (br * bc) % L == 0;
    }

    /** xr [in / bc, L]: vector c holds x's block column c repeated L / bc times, the layout of a block's rows. */
    static void replicate(float[] x, int xOff, int in, int bc, float[] xr) {
        int cols = in / bc, c = 0;
        if (bc == 4) {
            // One load, one lane permute (lane i takes lane i mod 4) and one store per column, where L reads
            // remain in x.
            for (; c * 4 + L <= in; c++) FloatVector.fromArray(S, x, xOff + c * 4).rearrange(MOD4).intoArray(xr, c * L);
        }
        for (; c < cols; c++) {
            for (int l = 0; l < L; l += bc) {
                for (int j = 0; j < bc; j++) xr[c * L + l + j] = x[xOff + c * bc + j];
            }
        }
    }

    private static final VectorShuffle<Float> MOD4 = VectorShuffle.fromOp(S, i -> i % 4);

    /**
     * One row of X, blocks whose rows fill whole vectors: each vector of a block (L / bc block rows) is one
     * FMA with the replicated X of its block column, so a block row's outputs need no broadcast or
     * gather and only one reduction at the end; four accumulators take the blocks in turn.
     */
    static void replicatedBlockDots(float[] xr, int br, int bc, float[] values, int[] columns, int[] ptr, int r0, int r1,
                                    float[] y, int yOff, Epilogue ep) {
        if (br * bc == L) {
            vectorBlockDots(xr, br, bc, values, columns, ptr, r0, r1, y, yOff, ep);
            return;
        }
        float[] lanes = new float[L];
        int block = br * bc, rowsPerVector = L / bc;
        for (int rb = r0; rb < r1; rb++) {
            int e0 = ptr[rb], e1 = ptr[rb + 1];
            for (int k = 0; k < block; k += L) {
                FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S), acc2 = FloatVector.zero(S), acc3 = FloatVector.zero(S);
                int e = e0;
                for (; e + 4 <= e1; e += 4) {
                    int v = e * block + k;
                    acc0 = FloatVector.fromArray(S, values, v).fma(FloatVector.fromArray(S, xr, columns[e] * L), acc0);
                    acc1 = FloatVector.fromArray(S, values, v + block).fma(FloatVector.fromArray(S, xr, columns[e + 1] * L), acc1);
                    acc2 = FloatVector.fromArray(S, values, v + 2 * block).fma(FloatVector.fromArray(S, xr, columns[e + 2] * L), acc2);
                    acc3 = FloatVector.fromArray(S, values, v + 3 * block).fma(FloatVector.fromArray(S, xr, columns[e + 3] * L), acc3);
                }
                for (; e < e1; e++) acc0 = FloatVector.fromArray(S, values, e * block + k).fma(FloatVector.fromArray(S, xr, columns[e] * L), acc0);
                acc0.add(acc1).add(acc2.add(acc3)).intoArray(lanes, 0);
                for (int q = 0; q < rowsPerVector; q++) {
                    float s = 0f;
                    for (int j = 0; j < bc; j++) s += lanes[q * bc + j];
                    SparseGemm.store(s, 0, rb * br + k / bc + q, y, yOff, 0, ep);
                }
            }
        }
    }

    /**
     * {@link #replicatedBlockDots} for blocks of exactly one vector (4x4 with 16 lanes): a loop without the
     * per-vector level runs about 1.3x faster (measured, 1024x1024 at 80%).
     */
    private static void vectorBlockDots(float[] xr, int br, int bc, float[] values, int[] columns, int[] ptr, int r0, int r1,
                                        float[] y, int yOff, Epilogue ep) {
        float[] lanes = new float[L];
        int rb = r0;
        if (L == 16 && br == 4 && bc == 4) {
            // Four block rows give 16 contiguous outputs: their row sums gathered into one vector, one store,
            // then the GEMM's epilogue once over them all (an output-by-output store cost as much as the block FMAs).
            for (; rb + 4 <= r1; rb += 4) {
                FloatVector sums = rowSums4x4(blockRow(xr, values, columns, ptr, rb), blockRow(xr, values, columns, ptr, rb + 1),
                        blockRow(xr, values, columns, ptr, rb + 2), blockRow(xr, values, columns, ptr, rb + 3));
                sums.intoArray(y, yOff + rb * 4);
            }
            if (!ep.isIdentity() && rb > r0) GemmVector.epilogue(y, yOff, 0, 0, 1, r0 * 4, (rb - r0) * 4, ep, null, 0, true);
        }
        for (; rb < r1; rb++) {
            blockRow(xr, values, columns, ptr, rb).intoArray(lanes, 0);
            for (int i = 0; i < br; i++) {
                float s = 0f;
                for (int j = 0; j < bc; j++) s += lanes[i * bc + j];
                SparseGemm.store(s, 0, rb * br + i, y, yOff, 0, ep);
            }
        }
    }

    /** Block row rb's blocks times x: lane i * bc + j sums block element (i, j) over the row's blocks. */
    private static FloatVector blockRow(float[] xr, float[] values, int[] columns, int[] ptr, int rb) {
        int e0 = ptr[rb], e1 = ptr[rb + 1];
        FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S);
        int e = e0;
        for (; e + 2 <= e1; e += 2) {
            acc0 = FloatVector.fromArray(S, values, e * L).fma(FloatVector.fromArray(S, xr, columns[e] * L), acc0);
            acc1 = FloatVector.fromArray(S, values, e * L + L).fma(FloatVector.fromArray(S, xr, columns[e + 1] * L), acc1);
        }
        if (e < e1) acc0 = FloatVector.fromArray(S, values, e * L).fma(FloatVector.fromArray(S, xr, columns[e] * L), acc0);
        return acc0.add(acc1);
    }

    private static final VectorShuffle<Float> PAIR = VectorShuffle.fromOp(S, i -> i ^ 1);
    private static final VectorShuffle<Float> QUAD = VectorShuffle.fromOp(S, i -> i ^ 2);
    /** Lanes 0, 4, 8, 12 of two vectors into lanes 0-7 (second vector's from index 16 on), or into lanes 8-15. */
    private static final VectorShuffle<Float> FIRSTS_LOW = VectorShuffle.fromOp(S, i -> i < 8 ? (i < 4 ? 4 * i : 16 + 4 * (i - 4)) : 0);
    private static final VectorShuffle<Float> FIRSTS_HIGH = VectorShuffle.fromOp(S, i -> i < 8 ? 0 : (i < 12 ? 4 * (i - 8) : 16 + 4 * (i - 12)));
    private static final VectorMask<Float> HIGH_HALF = VectorMask.fromLong(S, 0xFF00L);

    /** The 4 row sums of each of four 4x4 block-row results (16 lanes each, row-major), in order. */
    private static FloatVector rowSums4x4(FloatVector a0, FloatVector a1, FloatVector a2, FloatVector a3) {
        // after the two steps, lanes 4g..4g+3 of each vector all hold row g's sum (in the same order for every row)
        a0 = a0.add(a0.rearrange(PAIR));
        a1 = a1.add(a1.rearrange(PAIR));
        a2 = a2.add(a2.rearrange(PAIR));
        a3 = a3.add(a3.rearrange(PAIR));
        a0 = a0.add(a0.rearrange(QUAD));
        a1 = a1.add(a1.rearrange(QUAD));
        a2 = a2.add(a2.rearrange(QUAD));
        a3 = a3.add(a3.rearrange(QUAD));
        return a0.rearrange(FIRSTS_LOW, a1).blend(a2.rearrange(FIRSTS_HIGH, a3), HIGH_HALF);
    }

    // The three block kernels differ only in the species (a constant per method, as C2 needs).
    private static void blockDots(int m, float[] x, int xOff, int ldx, int br, int bc, float[] values, int[] columns, int[] ptr, int r0, int r1,
                                  float[] y, int yOff, int ldy, Epilogue ep) {
        for (int rb = r0; rb < r1; rb++) {
            int e0 = ptr[rb], e1 = ptr[rb + 1];
            for (int i = 0; i < br; i++) {
                for (int t = 0; t < m; t++) {
                    int xi = xOff + t * ldx;
                    FloatVector acc = FloatVector.zero(S);
                    for (int e = e0; e < e1; e++) {
                        int v = (e * br + i) * bc, c0 = xi + columns[e] * bc;
                        for (int j = 0; j < bc; j += L) acc = FloatVector.fromArray(S, values, v + j).fma(FloatVector.fromArray(S, x, c0 + j), acc);
                    }
                    SparseGemm.store(VectorSums.sum(acc), t, rb * br + i, y, yOff, ldy, ep);
                }
            }
        }
    }

    private static void blockDots256(int m, float[] x, int xOff, int ldx, int br, int bc, float[] values, int[] columns, int[] ptr, int r0, int r1,
                                     float[] y, int yOff, int ldy, Epilogue ep) {
        for (int rb = r0; rb < r1; rb++) {
            int e0 = ptr[rb], e1 = ptr[rb + 1];
            for (int i = 0; i < br; i++) {
                for (int t = 0; t < m; t++) {
                    int xi = xOff + t * ldx;
                    FloatVector acc = FloatVector.zero(S256);
                    for (int e = e0; e < e1; e++) {
                        int v = (e * br + i) * bc, c0 = xi + columns[e] * bc;
                        for (int j = 0; j < bc; j += 8) acc = FloatVector.fromArray(S256, values, v + j).fma(FloatVector.fromArray(S256, x, c0 + j), acc);
                    }
                    SparseGemm.store(VectorSums.sumInOrder(acc), t, rb * br + i, y, yOff, ldy, ep);
                }
            }
        }
    }

    private static void blockDots128(int m, float[] x, int xOff, int ldx, int br, int bc, float[] values, int[] columns, int[] ptr, int r0, int r1,
                                     float[] y, int yOff, int ldy, Epilogue ep) {
        for (int rb = r0; rb < r1; rb++) {
            int e0 = ptr[rb], e1 = ptr[rb + 1];
            for (int i = 0; i < br; i++) {
                for (int t = 0; t < m; t++) {
                    int xi = xOff + t * ldx;
                    FloatVector acc = FloatVector.zero(S128);
                    for (int e = e0; e < e1; e++) {
                        int v = (e * br + i) * bc, c0 = xi + columns[e] * bc;
                        for (int j = 0; j < bc; j += 4) acc = FloatVector.fromArray(S128, values, v + j).fma(FloatVector.fromArray(S128, x, c0 + j), acc);
                    }
                    SparseGemm.store(VectorSums.sumInOrder(acc), t, rb * br + i, y, yOff, ldy, ep);
                }
            }
        }
    }

    /**
     * Over xt [in, mp] (mp a multiple of L, padded with zeros), one vector of X rows at a time; the
     * stored weights take turns over four accumulators, since one FMA chain would wait on its latency.
     */
    static void transposed(int m, int mp, float[] xt, int br, int bc, float[] values, int[] columns, int[] ptr, int r0, int r1,
                           float[] y, int yOff, int ldy, Epilogue ep) {
        float[] lanes = new float[L];
        int step = bc * mp;
        for (int rb = r0; rb < r1; rb++) {
            int e0 = ptr[rb], e1 = ptr[rb + 1];
            for (int i = 0; i < br; i++) {
                int r = rb * br + i;
                for (int t0 = 0; t0 < mp; t0 += L) {
                    FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S), acc2 = FloatVector.zero(S), acc3 = FloatVector.zero(S);
                    int e = e0;
                    for (; e + 4 <= e1; e += 4) {
                        int v0 = (e * br + i) * bc, v1 = v0 + br * bc, v2 = v1 + br * bc, v3 = v2 + br * bc;
                        int x0 = columns[e] * step + t0, x1 = columns[e + 1] * step + t0, x2 = columns[e + 2] * step + t0, x3 = columns[e + 3] * step + t0;
                        for (int j = 0; j < bc; j++) {
                            acc0 = FloatVector.broadcast(S, values[v0 + j]).fma(FloatVector.fromArray(S, xt, x0 + j * mp), acc0);
                            acc1 = FloatVector.broadcast(S, values[v1 + j]).fma(FloatVector.fromArray(S, xt, x1 + j * mp), acc1);
                            acc2 = FloatVector.broadcast(S, values[v2 + j]).fma(FloatVector.fromArray(S, xt, x2 + j * mp), acc2);
                            acc3 = FloatVector.broadcast(S, values[v3 + j]).fma(FloatVector.fromArray(S, xt, x3 + j * mp), acc3);
                        }
                    }
                    for (; e < e1; e++) {
                        int v0 = (e * br + i) * bc, x0 = columns[e] * step + t0;
                        for (int j = 0; j < bc; j++) acc0 = FloatVector.broadcast(S, values[v0 + j]).fma(FloatVector.fromArray(S, xt, x0 + j * mp), acc0);
                    }
                    acc0.add(acc1).add(acc2.add(acc3)).intoArray(lanes, 0);
                    for (int t = t0; t < Math.min(m, t0 + L); t++) SparseGemm.store(lanes[t - t0], t, r, y, yOff, ldy, ep);
                }
            }
        }
    }
}
