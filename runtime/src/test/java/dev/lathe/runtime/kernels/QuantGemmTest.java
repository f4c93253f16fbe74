package dev.lathe.runtime.kernels;

import static dev.lathe.runtime.kernels.Close.assertClose;
import static dev.lathe.runtime.kernels.Close.scaleFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The quantized linear kernels against a double reference written from the definition
 * ({@code x · ((q - z) s)ᵀ + bias}), and the scalar and vector versions against each other. The dynamic
 * path's reference quantizes each row independently here and sums integer products in int64, so it
 * checks that the kernels' integer sums are exact (the results then differ only by the final rescale).
 */
class QuantGemmTest {
    /** One random quantized layer. */
    record Layer(int n, int k, int bits, boolean signed, int group, boolean perRow, long[] q, float[] scales, float[] zeros, float[] bias) {
        QuantMatrix matrix() {
            return QuantMatrix.of(QuantMatrix.pack(q, n, k, bits, signed), n, k, bits, signed);
        }

        int cell(int o, int p) {
            return (perRow ? o * (k / group) : 0) + p / group;
        }

        double deq(int o, int p) {
            int cell = cell(o, p);
            return (q[o * k + p] - (zeros == null ? 0 : zeros[cell])) * (double) scales[cell];
        }

        static Layer random(Random r, int n, int k, int bits, boolean signed, int group, boolean perRow, boolean withBias) {
            long lo = signed ? -(1L << (bits - 1)) : 0, hi = signed ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
            long[] q = new long[n * k];
            for (int i = 0; i < q.length; i++) q[i] = lo + r.nextInt((int) (hi - lo + 1));
            int cells = (perRow ? n : 1) * (k / group);
            float[] scales = new float[cells];
            float[] zeros = signed ? null : new float[cells];
            for (int i = 0; i < cells; i++) {
                scales[i] = 0.01f + r.nextFloat() * 0.1f;
                if (zeros != null) zeros[i] = r.nextInt((int) hi + 1);
            }
            float[] bias = withBias ? Close.random(r, n) : null;
            return new Layer(n, k, bits, signed, group, perRow, q, scales, zeros, bias);
        }
    }

    private static double[] reference(int m, float[] a, int lda, Layer l) {
        double[] y = new double[m * l.n()];
        for (int i = 0; i < m; i++) {
            for (int o = 0; o < l.n(); o++) {
                double s = l.bias() == null ? 0 : l.bias()[o];
                for (int p = 0; p < l.k(); p++) s += a[i * lda + p] * l.deq(o, p);
                y[i * l.n() + o] = s;
            }
        }
        return y;
    }

    /** The dynamic path as documented, computed independently: per-row int8, exact integer sums per cell, one rescale. */
    private static double[] dynamicReference(int m, float[] a, int lda, Layer l) {
        int k = l.k(), groups = k / l.group();
        double[] y = new double[m * l.n()];
        for (int i = 0; i < m; i++) {
            float amax = 0;
            for (int p = 0; p < k; p++) amax = Math.max(amax, Math.abs(a[i * lda + p]));
            float sx = amax / 127f;
            long[] xq = new long[k];
            for (int p = 0; p < k; p++) xq[p] = sx == 0 ? 0 : (long) Math.max(-127, Math.min(127, Math.rint(a[i * lda + p] / sx)));
            for (int o = 0; o < l.n(); o++) {
                double acc = 0;
                for (int g = 0; g < groups; g++) {
                    long dot = 0;
                    for (int p = g * l.group(); p < (g + 1) * l.group(); p++) {
                        dot += xq[p] * (l.q()[o * k + p] - (long) (l.zeros() == null ? 0 : l.zeros()[l.cell(o, p)]));
                    }
                    acc += (double) l.scales()[l.cell(o, g * l.group())] * dot;
                }
                y[i * l.n() + o] = sx * acc + (l.bias() == null ? 0 : l.bias()[o]);
            }
        }
        return y;
    }

    private static void run(String path, int m, float[] a, int lda, Layer l, float[] c, int ldc) {
        QuantMatrix w = l.matrix();
        QuantGemm.Cells cells = new QuantGemm.Cells(w, l.scales(), l.zeros(), l.group(), l.perRow());
        Parallelism par = Parallelism.of(2);
        switch (path) {
            case "gemvScalar" -> QuantGemmScalar.gemv(m, a, 0, lda, cells, l.bias(), 0, c, 0, ldc, par);
            case "gemvVector" -> QuantGemmVector.gemv(m, a, 0, lda, cells, l.bias(), 0, c, 0, ldc, par);
            case "gemmScalar" -> QuantGemmScalar.viaGemm(false, m, a, 0, lda, cells, l.bias(), 0, c, 0, ldc, par);
            case "gemmVector" -> QuantGemmScalar.viaGemm(true, m, a, 0, lda, cells, l.bias(), 0, c, 0, ldc, par);
            case "dynScalar" -> QuantGemmScalar.dynamic(m, a, 0, lda, cells, l.bias(), 0, c, 0, ldc, par);
            case "dynGemmScalar" -> QuantGemmScalar.dynamicViaGemm(false, QuantGemmScalar.exactChunk(cells), m, a, 0, lda, cells, l.bias(), 0, c, 0, ldc, par);
            case "dynGemmVector" -> QuantGemmScalar.dynamicViaGemm(true, QuantGemmScalar.exactChunk(cells), m, a, 0, lda, cells, l.bias(), 0, c, 0, ldc, par);
            case "dynGemvVector" -> QuantGemmVector.dynamicGemv(m, a, 0, lda, cells, QuantGemmScalar.exactChunk(cells), l.bias(), 0, c, 0, ldc, par);
            default -> throw new IllegalArgumentException(path);
        }
    }

    @ParameterizedTest
    @CsvSource({
            "gemvScalar, 8, true", "gemvScalar, 4, true", "gemvScalar, 8, false", "gemvScalar, 4, false",
            "gemvVector, 8, true", "gemvVector, 4, true", "gemvVector, 8, false", "gemvVector, 4, false",
            "gemmScalar, 8, true", "gemmScalar, 4, false", "gemmVector, 8, false", "gemmVector, 4, true"})
    void weightOnlyMatchesTheDequantizedProduct(String path, int bits, boolean signed) {
        Random r = new Random(bits * 31 + (signed ? 1 : 0));
        int[][] shapes = {{1, 1, 1}, {1, 64, 64}, {3, 70, 130}, {2, 129, 96}, {9, 33, 200}, {1, 17, 34}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            for (int group : new int[] {k, 2, 32, 34, 100}) {
                if (k % group != 0 || (bits == 4 && group % 2 != 0 && path.equals("gemvVector"))) continue;
                for (boolean perRow : new boolean[] {true, false}) {
                    if (!perRow && group != k) continue;
                    Layer l = Layer.random(r, n, k, bits, signed, group, perRow, (n + k) % 2 == 0);
                    int lda = k + 3, ldc = n + 1;
                    float[] a = Close.random(r, m * lda);
                    float[] c = new float[m * ldc];
                    run(path, m, a, lda, l, c, ldc);
                    double[] expected = reference(m, a, lda, l);
                    // Terms are |x| |q - z| s <= 2: four times the order-1 tolerance.
                    assertClose(path + " " + m + "x" + n + "x" + k + " g" + group, expected, c, 0, m, n, ldc, 4 * scaleFor(k));
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
            "dynScalar, 8, true", "dynScalar, 8, false", "dynScalar, 4, true", "dynScalar, 4, false",
            "dynGemmScalar, 8, true", "dynGemmScalar, 4, false",
            "dynGemmVector, 8, true", "dynGemmVector, 8, false", "dynGemmVector, 4, true", "dynGemmVector, 4, false",
            "dynGemvVector, 8, true", "dynGemvVector, 8, false"})
    void dynamicSumsIntegersExactly(String path, int bits, boolean signed) {
        Random r = new Random(7 + bits + (signed ? 100 : 0));
        // k = 1500 > 1024 splits i8 (and u8: 512) per-channel products into several exact chunks.
        int[][] shapes = {{1, 1, 1}, {1, 40, 64}, {5, 33, 96}, {17, 65, 128}, {3, 20, 1500}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            for (int group : new int[] {k, 32}) {
                if (k % group != 0) continue;
                Layer l = Layer.random(r, n, k, bits, signed, group, true, true);
                float[] a = Close.random(r, m * k);
                if (m > 2) java.util.Arrays.fill(a, k, 2 * k, 0f); // an all-zero row: scale 0
                float[] c = new float[m * n];
                run(path, m, a, k, l, c, n);
                double[] expected = dynamicReference(m, a, k, l);
                for (int i = 0; i < expected.length; i++) {
                    // Exact integer sums: only the double rescale's last bits and the f32 rounding differ.
                    assertEquals((float) expected[i], c[i], Math.ulp((float) expected[i]) + 1e-6 * Math.abs(expected[i]) + 1e-30,
                            path + " " + m + "x" + n + "x" + k + " g" + group + " element " + i);
                }
            }
        }
    }

    @Test
    void dynamicStaysWithinTheActivationRoundingBound() {
        // |Σ x w - sx Σ x̂ w| <= Σ |w| sx / 2 per output: the certificate the quantize pass reports.
        qt().withExamples(40).forAll(integers().between(1, 6), integers().between(1, 40), integers().between(1, 90), integers().between(0, 1 << 20))
                .checkAssert((m, n, k, seed) -> {
                    Random r = new Random(seed);
                    Layer l = Layer.random(r, n, k, 8, true, k, true, false);
                    float[] a = Close.random(r, m * k);
                    float[] c = new float[m * n];
                    QuantGemm.dynamic(m, a, 0, k, l.matrix(), l.scales(), null, k, true, null, 0, c, 0, n, Parallelism.SERIAL);
                    double[] exact = reference(m, a, k, l);
                    for (int i = 0; i < m; i++) {
                        float amax = 0;
                        for (int p = 0; p < k; p++) amax = Math.max(amax, Math.abs(a[i * k + p]));
                        for (int o = 0; o < n; o++) {
                            double sumAbsW = 0;
                            for (int p = 0; p < k; p++) sumAbsW += Math.abs(l.deq(o, p));
                            double bound = sumAbsW * (amax / 127.0) / 2 + 1e-5 + 1e-4 * Math.abs(exact[i * n + o]);
                            double err = Math.abs(c[i * n + o] - exact[i * n + o]);
                            if (err > bound) throw new AssertionError("row " + i + " out " + o + ": error " + err + " above " + bound);
                        }
                    }
                });
    }

    @Test
    void facadePicksAPathThatAgreesForEveryBatch() {
        Random r = new Random(3);
        Layer l = Layer.random(r, 48, 64, 4, true, 32, true, true);
        for (int m : new int[] {1, 7, 8, 20}) {
            float[] a = Close.random(r, m * 64);
            float[] c = new float[m * 48];
            QuantGemm.linear(m, a, 0, 64, l.matrix(), l.scales(), null, 32, true, l.bias(), 0, c, 0, 48, Parallelism.SERIAL);
            assertClose("linear m=" + m, reference(m, a, 64, l), c, 0, m, 48, 48, 4);
        }
    }

    @Test
    void packRoundTripsAndRejectsOutOfRange() {
        long[] q = {-8, 7, 0, -1, 3};
        QuantMatrix w = QuantMatrix.of(QuantMatrix.pack(q, 1, 5, 4, true), 1, 5, 4, true);
        for (int i = 0; i < 5; i++) assertEquals(q[i], w.get(0, i));
        assertEquals(3, QuantMatrix.rowBytes(5, 4));
        long[] u = {0, 255, 128, 1};
        QuantMatrix wu = QuantMatrix.of(QuantMatrix.pack(u, 2, 2, 8, false), 2, 2, 8, false);
        assertEquals(255, wu.get(0, 1));
        assertEquals(128, wu.get(1, 0));
        assertThrows(IllegalArgumentException.class, () -> QuantMatrix.pack(new long[] {8}, 1, 1, 4, true));
        assertThrows(IllegalArgumentException.class, () -> QuantMatrix.pack(new long[] {-1}, 1, 1, 8, false));
        assertThrows(IllegalArgumentException.class, () -> QuantGemm.linear(1, new float[4], 0, 4, QuantMatrix.of(new byte[4], 1, 4, 8, true),
                new float[1], null, 3, true, null, 0, new float[1], 0, 1, Parallelism.SERIAL));
    }
}
