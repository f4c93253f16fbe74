package dev.lathe.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API {@link SparseGemm}. Few rows of X: CSR gathers X at the stored columns (two accumulators
 * for the FMA latency); BSR loads each block row's columns contiguously with the widest species that
 * divides the block width (a 4-wide block uses 128-bit vectors). Many rows: X transposed [in, mp],
 * each stored weight is broadcast and FMA'd over mp rows of X, two vectors at a time. Vector values
 * stay in locals inside the loops (DESIGN.md §6: no helper takes or returns a Vector).
 */
final class SparseGemmVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorSpecies<Float> S128 = FloatVector.SPECIES_128;
    private static final VectorSpecies<Float> S256 = FloatVector.SPECIES_256;

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
            int whole = e0 + (e1 - e0) / (2 * L) * (2 * L);
            for (int t = 0; t < m; t++) {
                int xi = xOff + t * ldx;
                FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S);
                int e = e0;
                for (; e < whole; e += 2 * L) {
                    acc0 = FloatVector.fromArray(S, values, e).fma(FloatVector.fromArray(S, x, xi, columns, e), acc0);
                    acc1 = FloatVector.fromArray(S, values, e + L).fma(FloatVector.fromArray(S, x, xi, columns, e + L), acc1);
                }
                float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
                for (; e < e1; e++) s += values[e] * x[xi + columns[e]];
                SparseGemm.store(s, t, r, y, yOff, ldy, ep);
            }
        }
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
                    SparseGemm.store(acc.reduceLanes(VectorOperators.ADD), t, rb * br + i, y, yOff, ldy, ep);
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
                    SparseGemm.store(acc.reduceLanes(VectorOperators.ADD), t, rb * br + i, y, yOff, ldy, ep);
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
                    SparseGemm.store(acc.reduceLanes(VectorOperators.ADD), t, rb * br + i, y, yOff, ldy, ep);
                }
            }
        }
    }

    /** Over xt [in, mp] (mp a multiple of L, padded with zeros): two row vectors of X per pass over the entries. */
    static void transposed(int m, int mp, float[] xt, int br, int bc, float[] values, int[] columns, int[] ptr, int r0, int r1,
                           float[] y, int yOff, int ldy, Epilogue ep) {
        float[] lanes = new float[2 * L];
        for (int rb = r0; rb < r1; rb++) {
            int e0 = ptr[rb], e1 = ptr[rb + 1];
            for (int i = 0; i < br; i++) {
                int r = rb * br + i;
                int t0 = 0;
                for (; t0 + 2 * L <= mp; t0 += 2 * L) {
                    FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S);
                    for (int e = e0; e < e1; e++) {
                        int v = (e * br + i) * bc, xc = columns[e] * bc * mp + t0;
                        for (int j = 0; j < bc; j++, xc += mp) {
                            FloatVector w = FloatVector.broadcast(S, values[v + j]);
                            acc0 = w.fma(FloatVector.fromArray(S, xt, xc), acc0);
                            acc1 = w.fma(FloatVector.fromArray(S, xt, xc + L), acc1);
                        }
                    }
                    acc0.intoArray(lanes, 0);
                    acc1.intoArray(lanes, L);
                    for (int t = t0; t < Math.min(m, t0 + 2 * L); t++) SparseGemm.store(lanes[t - t0], t, r, y, yOff, ldy, ep);
                }
                if (t0 < mp) {
                    FloatVector acc = FloatVector.zero(S);
                    for (int e = e0; e < e1; e++) {
                        int v = (e * br + i) * bc, xc = columns[e] * bc * mp + t0;
                        for (int j = 0; j < bc; j++, xc += mp) acc = FloatVector.broadcast(S, values[v + j]).fma(FloatVector.fromArray(S, xt, xc), acc);
                    }
                    acc.intoArray(lanes, 0);
                    for (int t = t0; t < m; t++) SparseGemm.store(lanes[t - t0], t, r, y, yOff, ldy, ep);
                }
            }
        }
    }
}
