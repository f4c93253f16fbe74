package dev.lathe.runtime.kernels;

import dev.lathe.runtime.kernels.QuantGemm.Cells;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API weight-only GEMV for {@link QuantGemm#linear} on few rows. At batch 1 a GEMV is
 * memory-bound, so reading 1 or ½ byte per weight instead of 4 is the whole gain: each L bytes of
 * integers are widened in registers (one signed byte-to-float conversion; 4-bit nibbles split with
 * shifts first) and multiplied by x with FMA; a scale cell's sum is scaled once per cell. For 4 bits
 * the low nibbles hold the even inputs and the high ones the odd, so x is split per call into its
 * even and odd elements and no shuffle is needed. One method per shape class (8-bit, signed 4-bit,
 * unsigned 4-bit), vector values only in locals (DESIGN.md §6).
 */
final class QuantGemmVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
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
                if (w.bits() == 8) rows8(o0, o1, a, aOff + i * lda, xsum, i * groups, cells, bias, biasOff, c, cOff + i * ldc);
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
        float[] scales = cells.scales();
        for (int o = o0; o < o1; o++) {
            int row = o * k;
            FloatVector acc = FloatVector.zero(S);
            float tail = 0f;
            for (int g = 0; g < groups; g++) {
                int g0 = g * group;
                FloatVector dot = FloatVector.zero(S);
                for (int p = g0; p < g0 + vecPart; p += L) {
                    FloatVector wv = (FloatVector) ByteVector.fromArray(B, q, row + p).convertShape(VectorOperators.B2F, S, 0);
                    dot = wv.fma(FloatVector.fromArray(S, x, xOff + p), dot);
                }
                float rest = 0f;
                for (int p = g0 + vecPart; p < g0 + group; p++) rest = Math.fma(x[xOff + p], q[row + p], rest);
                int cell = cells.cell(o, g);
                float s = scales[cell];
                acc = dot.fma(FloatVector.broadcast(S, s), acc);
                tail += s * (rest - (cells.zero(cell) - offset) * xsum[xsOff + g]);
            }
            float y = acc.reduceLanes(VectorOperators.ADD) + tail;
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
        float[] scales = cells.scales();
        for (int o = o0; o < o1; o++) {
            int row = o * rb;
            FloatVector acc = FloatVector.zero(S);
            float tail = 0f;
            for (int g = 0; g < groups; g++) {
                int b0 = g * half;
                FloatVector dot = FloatVector.zero(S);
                for (int p = b0; p < b0 + vecPart; p += L) {
                    ByteVector packed = ByteVector.fromArray(B, q, row + p);
                    ByteVector lo = packed.lanewise(VectorOperators.LSHL, 4).lanewise(VectorOperators.ASHR, 4);
                    ByteVector hi = packed.lanewise(VectorOperators.ASHR, 4);
                    dot = ((FloatVector) lo.convertShape(VectorOperators.B2F, S, 0)).fma(FloatVector.fromArray(S, xe, xOff + p), dot);
                    dot = ((FloatVector) hi.convertShape(VectorOperators.B2F, S, 0)).fma(FloatVector.fromArray(S, xo, xOff + p), dot);
                }
                float rest = 0f;
                for (int p = b0 + vecPart; p < b0 + half; p++) {
                    int v = q[row + p];
                    rest = Math.fma(xe[xOff + p], (v << 28) >> 28, rest);
                    rest = Math.fma(xo[xOff + p], v >> 4, rest);
                }
                float s = scales[cells.cell(o, g)];
                acc = dot.fma(FloatVector.broadcast(S, s), acc);
                tail += s * rest;
            }
            float y = acc.reduceLanes(VectorOperators.ADD) + tail;
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
        float[] scales = cells.scales();
        for (int o = o0; o < o1; o++) {
            int row = o * rb;
            FloatVector acc = FloatVector.zero(S);
            float tail = 0f;
            for (int g = 0; g < groups; g++) {
                int b0 = g * half;
                FloatVector dot = FloatVector.zero(S);
                for (int p = b0; p < b0 + vecPart; p += L) {
                    ByteVector packed = ByteVector.fromArray(B, q, row + p);
                    ByteVector lo = packed.and((byte) 0x0F);
                    ByteVector hi = packed.lanewise(VectorOperators.LSHR, 4);
                    dot = ((FloatVector) lo.convertShape(VectorOperators.B2F, S, 0)).fma(FloatVector.fromArray(S, xe, xOff + p), dot);
                    dot = ((FloatVector) hi.convertShape(VectorOperators.B2F, S, 0)).fma(FloatVector.fromArray(S, xo, xOff + p), dot);
                }
                float rest = 0f;
                for (int p = b0 + vecPart; p < b0 + half; p++) {
                    int v = q[row + p];
                    rest = Math.fma(xe[xOff + p], v & 0xF, rest);
                    rest = Math.fma(xo[xOff + p], (v >> 4) & 0xF, rest);
                }
                int cell = cells.cell(o, g);
                float s = scales[cell];
                acc = dot.fma(FloatVector.broadcast(S, s), acc);
                tail += s * (rest - cells.zero(cell) * xsum[xsOff + g]);
            }
            float y = acc.reduceLanes(VectorOperators.ADD) + tail;
            c[cOff + o] = bias == null ? y : y + bias[biasOff + o];
        }
    }
}
