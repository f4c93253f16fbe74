package dev.lathe.runtime.kernels;

import dev.lathe.runtime.kernels.QuantGemm.Cells;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API GEMV for {@link QuantGemm} on few rows (weight-only, and dynamic activations with 8-bit weights). At batch 1 a GEMV is
 * memory-bound, so reading 1 or ½ byte per weight instead of 4 is the whole gain: each L bytes of
 * integers are widened in registers (one signed byte-to-float conversion; 4-bit nibbles split with
 * int shifts after widening, x86 having no byte shifts) and multiplied by x with FMA; a scale cell's sum is scaled once per cell. For 4 bits
 * the low nibbles hold the even inputs and the high ones the odd, so x is split per call into its
 * even and odd elements and no shuffle is needed. One method per shape class (8-bit, signed 4-bit,
 * unsigned 4-bit), vector values only in locals (DESIGN.md §6).
 */
final class QuantGemmVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, jdk.incubator.vector.VectorShape.forBitSize(L * 8));
    private static final int BLOCK = 64;

    private QuantGemmVector() {}

    /** 4-bit cells must start on a byte: even group length. */
    static boolean fits(Cells cells) {
        return cells.w().bits() == 8 || cells.group() % 2 == 0;
    }

    static void gemv(int m, float[] a, int aOff, int lda, Cells cells, float[] bias, int biasOff, float[] c, int cOff, int ldc, Parallelism par) {
        QuantMatrix w = cells.w();
        int n = w.n(), k = w.k(), group = cells.group(), groups = cells.groups();
        // Per row: x's sum over each scale cell (for zero points), and for 4 bits x split into even / odd inputs.
        float[] xsum = new float[m * groups];
        float[] xe = w.bits() == 4 ? new float[m * (k / 2)] : null;
        float[] xo = w.bits() == 4 ? new float[m * (k / 2)] : null;
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda;
            for (int g = 0; g < groups; g++) {
                float s = 0f;
                for (int p = g * group; p < (g + 1) * group; p++) s += a[ai + p];
                xsum[i * groups + g] = s;
            }
            if (xe != null) {
                for (int p = 0; p < k / 2; p++) {
                    xe[i * (k / 2) + p] = a[ai + 2 * p];
                    xo[i * (k / 2) + p] = a[ai + 2 * p + 1];
                }
            }
        }
        par = par.forWork(2L * m * n * k, Parallelism.MIN_WORK_PER_THREAD);
        int tasks = (n + BLOCK - 1) / BLOCK;
        par.forEach(tasks, t -> {
            int o0 = t * BLOCK, o1 = Math.min(n, o0 + BLOCK);
            for (int i = 0; i < m; i++) {
                if (w.bits() == 4 && w.signed() && group == 2 * L) rows4SignedOneVector(o0, o1, xe, xo, i * (k / 2), cells, bias, biasOff, c, cOff + i * ldc);
                else if (w.bits() == 8) rows8(o0, o1, a, aOff + i * lda, xsum, i * groups, cells, bias, biasOff, c, cOff + i * ldc);
                else if (w.signed()) rows4Signed(o0, o1, xe, xo, i * (k / 2), xsum, i * groups, cells, bias, biasOff, c, cOff + i * ldc);
                else rows4Unsigned(o0, o1, xe, xo, i * (k / 2), xsum, i * groups, cells, bias, biasOff, c, cOff + i * ldc);
            }
        });
    }

    /** Outputs [o0, o1) of one row x (at xOff) with 8-bit weights; u8 is held minus 128 (zero shifted to match). */
    private static void rows8(int o0, int o1, float[] x, int xOff, float[] xsum, int xsOff, Cells cells, float[] bias, int biasOff,
                              float[] c, int cOff) {
        QuantMatrix w = cells.w();
        byte[] q = w.data();
        int k = w.k(), group = cells.group(), groups = cells.groups(), offset = w.offset8();
        int vecPart = B.loopBound(group);
        float[] scales = cells.scales(), zeros = cells.zeros();
        for (int o = o0; o < o1; o++) {
            int cellBase = cells.perRow() ? o * groups : 0; // hoisted: cells.cell() divides
            int row = o * k;
            // Independent chains (four per cell, two across cells) so that FMA latency does not bound the loop.
            FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S);
            float tail = 0f;
            for (int g = 0; g < groups; g++) {
                int g0 = g * group;
                FloatVector d0 = FloatVector.zero(S), d1 = FloatVector.zero(S), d2 = FloatVector.zero(S), d3 = FloatVector.zero(S);
                int p = g0;
                for (; p + 4 * L <= g0 + vecPart; p += 4 * L) {
                    d0 = ((FloatVector) ByteVector.fromArray(B, q, row + p).convertShape(VectorOperators.B2F, S, 0))
                            .fma(FloatVector.fromArray(S, x, xOff + p), d0);
                    d1 = ((FloatVector) ByteVector.fromArray(B, q, row + p + L).convertShape(VectorOperators.B2F, S, 0))
                            .fma(FloatVector.fromArray(S, x, xOff + p + L), d1);
                    d2 = ((FloatVector) ByteVector.fromArray(B, q, row + p + 2 * L).convertShape(VectorOperators.B2F, S, 0))
                            .fma(FloatVector.fromArray(S, x, xOff + p + 2 * L), d2);
                    d3 = ((FloatVector) ByteVector.fromArray(B, q, row + p + 3 * L).convertShape(VectorOperators.B2F, S, 0))
                            .fma(FloatVector.fromArray(S, x, xOff + p + 3 * L), d3);
                }
                for (; p < g0 + vecPart; p += L) {
                    d0 = ((FloatVector) ByteVector.fromArray(B, q, row + p).convertShape(VectorOperators.B2F, S, 0))
                            .fma(FloatVector.fromArray(S, x, xOff + p), d0);
                }
                float rest = 0f;
                for (; p < g0 + group; p++) rest = Math.fma(x[xOff + p], q[row + p], rest);
                int cell = cellBase + g;
                float s = scales[cell];
                FloatVector dot = d0.add(d1).add(d2.add(d3));
                if ((g & 1) == 0) acc0 = dot.fma(FloatVector.broadcast(S, s), acc0);
                else acc1 = dot.fma(FloatVector.broadcast(S, s), acc1);
                tail += s * (rest - ((zeros == null ? 0f : zeros[cell]) - offset) * xsum[xsOff + g]);
            }
            float y = VectorSums.sum(acc0.add(acc1)) + tail;
            c[cOff + o] = bias == null ? y : y + bias[biasOff + o];
        }
    }

    /** Outputs [o0, o1) of one row (even inputs xe, odd xo, at xOff) with i4 weights. */
    private static void rows4Signed(int o0, int o1, float[] xe, float[] xo, int xOff, float[] xsum, int xsOff, Cells cells, float[] bias,
                                    int biasOff, float[] c, int cOff) {
        QuantMatrix w = cells.w();
        byte[] q = w.data();
        int rb = w.k() / 2, half = cells.group() / 2, groups = cells.groups();
        int vecPart = B.loopBound(half);
        float[] scales = cells.scales(), zeros = cells.zeros();
        for (int o = o0; o < o1; o++) {
            int cellBase = cells.perRow() ? o * groups : 0; // hoisted: cells.cell() divides
            int row = o * rb;
            // Independent chains: low and high nibbles apart, and two accumulators across cells.
            FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S);
            float tail = 0f;
            for (int g = 0; g < groups; g++) {
                int b0 = g * half;
                FloatVector dLo = FloatVector.zero(S), dHi = FloatVector.zero(S);
                for (int p = b0; p < b0 + vecPart; p += L) {
                    // x86 has no byte shifts: widen the packed bytes to int lanes (sign-extended), split there.
                    IntVector packed = (IntVector) ByteVector.fromArray(B, q, row + p).convertShape(VectorOperators.B2I, I, 0);
                    IntVector lo = packed.lanewise(VectorOperators.LSHL, 28).lanewise(VectorOperators.ASHR, 28);
                    IntVector hi = packed.lanewise(VectorOperators.ASHR, 4);
                    dLo = ((FloatVector) lo.convertShape(VectorOperators.I2F, S, 0)).fma(FloatVector.fromArray(S, xe, xOff + p), dLo);
                    dHi = ((FloatVector) hi.convertShape(VectorOperators.I2F, S, 0)).fma(FloatVector.fromArray(S, xo, xOff + p), dHi);
                }
                FloatVector dot = dLo.add(dHi);
                float rest = 0f;
                for (int p = b0 + vecPart; p < b0 + half; p++) {
                    int v = q[row + p];
                    rest = Math.fma(xe[xOff + p], (v << 28) >> 28, rest);
                    rest = Math.fma(xo[xOff + p], v >> 4, rest);
                }
                float s = scales[cellBase + g];
                if ((g & 1) == 0) acc0 = dot.fma(FloatVector.broadcast(S, s), acc0);
                else acc1 = dot.fma(FloatVector.broadcast(S, s), acc1);
                tail += s * rest;
            }
            float y = VectorSums.sum(acc0.add(acc1)) + tail;
            c[cOff + o] = bias == null ? y : y + bias[biasOff + o];
        }
    }

    /** Outputs [o0, o1) of one row with u4 weights and zero points. */
    private static void rows4Unsigned(int o0, int o1, float[] xe, float[] xo, int xOff, float[] xsum, int xsOff, Cells cells, float[] bias,
                                      int biasOff, float[] c, int cOff) {
        QuantMatrix w = cells.w();
        byte[] q = w.data();
        int rb = w.k() / 2, half = cells.group() / 2, groups = cells.groups();
        int vecPart = B.loopBound(half);
        float[] scales = cells.scales(), zeros = cells.zeros();
        for (int o = o0; o < o1; o++) {
            int cellBase = cells.perRow() ? o * groups : 0; // hoisted: cells.cell() divides
            int row = o * rb;
            // Independent chains: low and high nibbles apart, and two accumulators across cells.
            FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S);
            float tail = 0f;
            for (int g = 0; g < groups; g++) {
                int b0 = g * half;
                FloatVector dLo = FloatVector.zero(S), dHi = FloatVector.zero(S);
                for (int p = b0; p < b0 + vecPart; p += L) {
                    IntVector packed = (IntVector) ByteVector.fromArray(B, q, row + p).convertShape(VectorOperators.B2I, I, 0);
                    IntVector lo = packed.and(0x0F);
                    IntVector hi = packed.lanewise(VectorOperators.ASHR, 4).and(0x0F);
                    dLo = ((FloatVector) lo.convertShape(VectorOperators.I2F, S, 0)).fma(FloatVector.fromArray(S, xe, xOff + p), dLo);
                    dHi = ((FloatVector) hi.convertShape(VectorOperators.I2F, S, 0)).fma(FloatVector.fromArray(S, xo, xOff + p), dHi);
                }
                FloatVector dot = dLo.add(dHi);
                float rest = 0f;
                for (int p = b0 + vecPart; p < b0 + half; p++) {
                    int v = q[row + p];
                    rest = Math.fma(xe[xOff + p], v & 0xF, rest);
                    rest = Math.fma(xo[xOff + p], (v >> 4) & 0xF, rest);
                }
                int cell = cellBase + g;
                float s = scales[cell];
                if ((g & 1) == 0) acc0 = dot.fma(FloatVector.broadcast(S, s), acc0);
                else acc1 = dot.fma(FloatVector.broadcast(S, s), acc1);
                tail += s * (rest - zeros[cell] * xsum[xsOff + g]);
            }
            float y = VectorSums.sum(acc0.add(acc1)) + tail;
            c[cOff + o] = bias == null ? y : y + bias[biasOff + o];
        }
    }

    /**
     * i4 with one vector of packed bytes per scale cell (group = 2L, e.g. 32 on AVX-512): the cell's
     * sum is one multiply and one FMA, and two cells per iteration feed two accumulators.
     */
    private static void rows4SignedOneVector(int o0, int o1, float[] xe, float[] xo, int xOff, Cells cells, float[] bias, int biasOff,
                                             float[] c, int cOff) {
        QuantMatrix w = cells.w();
        byte[] q = w.data();
        int rb = w.k() / 2, groups = cells.groups();
        float[] scales = cells.scales();
        for (int o = o0; o < o1; o++) {
            int row = o * rb;
            int cellBase = cells.perRow() ? o * groups : 0;
            FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S);
            int g = 0;
            for (; g + 1 < groups; g += 2) {
                int p = g * L;
                IntVector packed = (IntVector) ByteVector.fromArray(B, q, row + p).convertShape(VectorOperators.B2I, I, 0);
                FloatVector lo = (FloatVector) packed.lanewise(VectorOperators.LSHL, 28).lanewise(VectorOperators.ASHR, 28)
                        .convertShape(VectorOperators.I2F, S, 0);
                FloatVector hi = (FloatVector) packed.lanewise(VectorOperators.ASHR, 4).convertShape(VectorOperators.I2F, S, 0);
                FloatVector dot = hi.fma(FloatVector.fromArray(S, xo, xOff + p), lo.mul(FloatVector.fromArray(S, xe, xOff + p)));
                acc0 = dot.fma(FloatVector.broadcast(S, scales[cellBase + g]), acc0);
                IntVector packed1 = (IntVector) ByteVector.fromArray(B, q, row + p + L).convertShape(VectorOperators.B2I, I, 0);
                FloatVector lo1 = (FloatVector) packed1.lanewise(VectorOperators.LSHL, 28).lanewise(VectorOperators.ASHR, 28)
                        .convertShape(VectorOperators.I2F, S, 0);
                FloatVector hi1 = (FloatVector) packed1.lanewise(VectorOperators.ASHR, 4).convertShape(VectorOperators.I2F, S, 0);
                FloatVector dot1 = hi1.fma(FloatVector.fromArray(S, xo, xOff + p + L), lo1.mul(FloatVector.fromArray(S, xe, xOff + p + L)));
                acc1 = dot1.fma(FloatVector.broadcast(S, scales[cellBase + g + 1]), acc1);
            }
            if (g < groups) {
                int p = g * L;
                IntVector packed = (IntVector) ByteVector.fromArray(B, q, row + p).convertShape(VectorOperators.B2I, I, 0);
                FloatVector lo = (FloatVector) packed.lanewise(VectorOperators.LSHL, 28).lanewise(VectorOperators.ASHR, 28)
                        .convertShape(VectorOperators.I2F, S, 0);
                FloatVector hi = (FloatVector) packed.lanewise(VectorOperators.ASHR, 4).convertShape(VectorOperators.I2F, S, 0);
                FloatVector dot = hi.fma(FloatVector.fromArray(S, xo, xOff + p), lo.mul(FloatVector.fromArray(S, xe, xOff + p)));
                acc0 = dot.fma(FloatVector.broadcast(S, scales[cellBase + g]), acc0);
            }
            float y = VectorSums.sum(acc0.add(acc1));
            c[cOff + o] = bias == null ? y : y + bias[biasOff + o];
        }
    }

    /**
     * Dynamic activations on few rows with 8-bit weights: each row of x is quantized to int8
     * ({@link QuantGemm#quantizeRow}), then the same widening loop as {@link #rows8} multiplies the
     * integer-valued floats; per k chunk every partial sum (lanes and their reduction) is an integer
     * below 2^24 ({@link QuantGemmScalar#exactChunk}), so the sums are exact and the rescale is the
     * scalar path's.
     */
    static void dynamicGemv(int m, float[] a, int aOff, int lda, Cells cells, int chunk, float[] bias, int biasOff, float[] c, int cOff, int ldc,
                            Parallelism par) {
        QuantMatrix w = cells.w();
        int n = w.n(), k = w.k();
        int chunks = (k + chunk - 1) / chunk;
        float[] xq = new float[m * k];
        float[] sx = new float[m];
        long[] xsum = new long[m * chunks];
        for (int i = 0; i < m; i++) {
            sx[i] = QuantGemm.quantizeRow(a, aOff + i * lda, k, xq, i * k);
            for (int p = 0; p < k; p++) xsum[i * chunks + p / chunk] += (long) xq[i * k + p];
        }
        par = par.forWork(2L * m * n * k, Parallelism.MIN_WORK_PER_THREAD);
        int tasks = (n + BLOCK - 1) / BLOCK;
        par.forEach(tasks, t -> {
            int o0 = t * BLOCK, o1 = Math.min(n, o0 + BLOCK);
            for (int i = 0; i < m; i++) {
                dynamicRows8(o0, o1, xq, i * k, sx[i], xsum, i * chunks, chunk, chunks, cells, bias, biasOff, c, cOff + i * ldc);
            }
        });
    }

    private static void dynamicRows8(int o0, int o1, float[] x, int xOff, float sx, long[] xsum, int xsOff, int chunk, int chunks, Cells cells,
                                     float[] bias, int biasOff, float[] c, int cOff) {
        QuantMatrix w = cells.w();
        byte[] q = w.data();
        int k = w.k(), groups = cells.groups(), offset = w.offset8();
        boolean grouped = groups > 1;
        float[] scales = cells.scales(), zeros = cells.zeros();
        for (int o = o0; o < o1; o++) {
            int row = o * k;
            int cellBase = cells.perRow() ? o * groups : 0;
            double acc = 0;
            for (int ch = 0; ch < chunks; ch++) {
                int p0 = ch * chunk, p1 = Math.min(k, p0 + chunk);
                FloatVector d0 = FloatVector.zero(S), d1 = FloatVector.zero(S), d2 = FloatVector.zero(S), d3 = FloatVector.zero(S);
                int p = p0;
                for (; p + 4 * L <= p1; p += 4 * L) {
                    d0 = ((FloatVector) ByteVector.fromArray(B, q, row + p).convertShape(VectorOperators.B2F, S, 0))
                            .fma(FloatVector.fromArray(S, x, xOff + p), d0);
                    d1 = ((FloatVector) ByteVector.fromArray(B, q, row + p + L).convertShape(VectorOperators.B2F, S, 0))
                            .fma(FloatVector.fromArray(S, x, xOff + p + L), d1);
                    d2 = ((FloatVector) ByteVector.fromArray(B, q, row + p + 2 * L).convertShape(VectorOperators.B2F, S, 0))
                            .fma(FloatVector.fromArray(S, x, xOff + p + 2 * L), d2);
                    d3 = ((FloatVector) ByteVector.fromArray(B, q, row + p + 3 * L).convertShape(VectorOperators.B2F, S, 0))
                            .fma(FloatVector.fromArray(S, x, xOff + p + 3 * L), d3);
                }
                for (; p + L <= p1; p += L) {
                    d0 = ((FloatVector) ByteVector.fromArray(B, q, row + p).convertShape(VectorOperators.B2F, S, 0))
                            .fma(FloatVector.fromArray(S, x, xOff + p), d0);
                }
                long dot = (long) VectorSums.sum(d0.add(d1).add(d2.add(d3)));
                for (; p < p1; p++) dot += (long) x[xOff + p] * q[row + p];
                int cell = cellBase + (grouped ? ch : 0);
                long zero = zeros == null ? 0 : (long) zeros[cell];
                acc += (double) scales[cell] * (dot - (zero - offset) * xsum[xsOff + ch]);
            }
            c[cOff + o] = QuantGemmScalar.rescale(sx, acc, bias, biasOff + o);
        }
    }
}
