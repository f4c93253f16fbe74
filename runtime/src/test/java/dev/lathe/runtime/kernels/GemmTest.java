package dev.lathe.runtime.kernels;

import static dev.lathe.runtime.kernels.Close.EDGE_SIZES;
import static dev.lathe.runtime.kernels.Close.assertClose;
import static dev.lathe.runtime.kernels.Close.random;
import static dev.lathe.runtime.kernels.Close.scaleFor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Both GEMM implementations against the double reference, on edge sizes, offsets and odd leading dims. */
class GemmTest {
    private static final float GUARD = -12345f;

    /** Packs for, and runs, one implementation. */
    private static void packedGemm(boolean vector, int m, float[] a, int aOff, int lda, float[] w, int wOff, int rows, int cols,
                                   boolean transposed, float[] c, int cOff, int ldc, Epilogue ep, Parallelism par) {
        PackedMatrix b = PackedMatrix.pack(w, wOff, rows, cols, transposed, Gemm.panelWidth(vector));
        Gemm.run(vector, m, a, aOff, lda, 1, b, c, cOff, ldc, ep, null, 0, par);
    }

    private static float[] guarded(int n) {
        float[] c = new float[n];
        Arrays.fill(c, GUARD);
        return c;
    }

    /** Everything outside the [m, n] tile at cOff with stride ldc still holds the guard. */
    private static void assertGuardsIntact(float[] c, int cOff, int m, int n, int ldc) {
        for (int i = 0; i < c.length; i++) {
            int rel = i - cOff;
            boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
            if (!inside) assertEquals(GUARD, c[i], "element " + i + " outside C was written");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void packedMatchesReferenceOnEdgeSizes(boolean vector) {
        Random r = new Random(1);
        for (int m : EDGE_SIZES) {
            for (int n : EDGE_SIZES) {
                for (int k : EDGE_SIZES) {
                    boolean transposed = (m + n + k) % 2 == 0;
                    int lda = k + 3, ldc = n + 5, aOff = 7, cOff = 11, wOff = 2;
                    float[] a = random(r, aOff + m * lda);
                    float[] w = random(r, wOff + n * k);
                    float[] c = guarded(cOff + m * ldc + 4);
                    // transposed: w is [n, k]; else [k, n].
                    packedGemm(vector, m, a, aOff, lda, w, wOff, transposed ? n : k, transposed ? k : n, transposed, c, cOff, ldc,
                            Epilogue.NONE, Parallelism.SERIAL);
                    double[] ref = Reference.gemm(m, n, k, a, aOff, lda, false, w, wOff, transposed ? k : n, transposed, Epilogue.NONE, null);
                    String what = (vector ? "vector" : "scalar") + " m=" + m + " n=" + n + " k=" + k;
                    assertClose(what, ref, c, cOff, m, n, ldc, scaleFor(k));
                    assertGuardsIntact(c, cOff, m, n, ldc);
                }
            }
        }
    }

    /** A GEMV reads A's row in place across several k blocks (k > 512), plain and transposed, full and narrow panels. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void gemvOverSeveralKBlocks(boolean vector) {
        Random r = new Random(4);
        int k = 1100;
        for (int n : new int[] {10, 40}) {
            for (boolean transA : new boolean[] {false, true}) {
                int lda = transA ? 3 : k + 2; // A is [1, k], or stored [k, 1] with row stride 3 when transposed
                float[] a = random(r, 5 + (transA ? k * lda : lda));
                float[] b = random(r, k * n);
                float[] c = guarded(2 + n + 3);
                Gemm.unpacked(vector, 1, n, k, a, 5, transA ? 1 : lda, transA ? lda : 1, b, 0, n, 1, c, 2, n, Epilogue.NONE, null, 0,
                        Parallelism.SERIAL);
                double[] ref = Reference.gemm(1, n, k, a, 5, lda, transA, b, 0, n, false, Epilogue.NONE, null);
                assertClose("gemv n=" + n + " transA=" + transA, ref, c, 2, 1, n, n, scaleFor(k));
                assertGuardsIntact(c, 2, 1, n, n);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void unpackedMatchesReferenceForEveryTransposeCombination(boolean vector) {
        Random r = new Random(2);
        int[] sizes = {1, 17, 64, 65};
        for (int m : sizes) {
            for (int n : sizes) {
                for (int k : new int[] {3, 65}) {
                    for (int flags = 0; flags < 4; flags++) {
                        boolean ta = (flags & 1) != 0, tb = (flags & 2) != 0;
                        int lda = (ta ? m : k) + 1, ldb = (tb ? k : n) + 2, ldc = n + 3;
                        float[] a = random(r, 5 + (ta ? k : m) * lda);
                        float[] b = random(r, 3 + (tb ? n : k) * ldb);
                        float[] c = guarded(1 + m * ldc);
                        Gemm.unpacked(vector, m, n, k, a, 5, ta ? 1 : lda, ta ? lda : 1, b, 3, tb ? 1 : ldb, tb ? ldb : 1,
                                c, 1, ldc, Epilogue.NONE, null, 0, Parallelism.SERIAL);
                        double[] ref = Reference.gemm(m, n, k, a, 5, lda, ta, b, 3, ldb, tb, Epilogue.NONE, null);
                        assertClose("m=" + m + " n=" + n + " k=" + k + " transA=" + ta + " transB=" + tb, ref, c, 1, m, n, ldc, scaleFor(k));
                        assertGuardsIntact(c, 1, m, n, ldc);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void epilogueAppliesBiasThenActivationThenResidual(boolean vector) {
        Random r = new Random(3);
        // {67, 64, 784}, {16, 96, 1100}: full and partial 8-row tiles over several k blocks (ReLU fused into the bias loop).
        int[][] shapes = {{65, 63, 17}, {6, 32, 300}, {1, 129, 64}, {7, 33, 1}, {13, 5, 600}, {67, 64, 784}, {16, 96, 1100}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            for (Activation act : Activation.values()) {
                float[] a = random(r, m * k);
                float[] w = random(r, n * k);
                float[] bias = random(r, n + 4);
                float[] res = random(r, 2 + m * (n + 1));
                Epilogue ep = new Epilogue(bias, 3, act, res, 2, n + 1);
                float[] c = guarded(m * n);
                packedGemm(vector, m, a, 0, k, w, 0, n, k, true, c, 0, n, ep, Parallelism.SERIAL);
                double[] ref = Reference.gemm(m, n, k, a, 0, k, false, w, 0, k, true, ep, null);
                assertClose(act + " m=" + m + " n=" + n + " k=" + k, ref, c, 0, m, n, n, scaleFor(k));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void residualMayBeTheOutputItself(boolean vector) {
        Random r = new Random(4);
        for (Activation act : new Activation[] {Activation.NONE, Activation.GELU_TANH}) {
            for (int[] s : new int[][] {{17, 65, 300}, {1, 3, 1}, {64, 64, 64}}) {
                int m = s[0], n = s[1], k = s[2], ldc = n + 2;
                float[] a = random(r, m * k);
                float[] w = random(r, k * n);
                float[] bias = random(r, n);
                float[] c = random(r, m * ldc);
                float[] before = c.clone();
                packedGemm(vector, m, a, 0, k, w, 0, k, n, false, c, 0, ldc, new Epilogue(bias, 0, act, c, 0, ldc), Parallelism.SERIAL);
                double[] ref = Reference.gemm(m, n, k, a, 0, k, false, w, 0, n, false, new Epilogue(bias, 0, act, before, 0, ldc), null);
                assertClose(act + " in place m=" + m, ref, c, 0, m, n, ldc, scaleFor(k));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void threadCountNeverChangesTheResult(boolean vector) {
        Random r = new Random(5);
        for (int[] s : new int[][] {{1, 3000, 400}, {9, 700, 300}, {129, 65, 257}, {200, 40, 90}}) {
            int m = s[0], n = s[1], k = s[2];
            float[] a = random(r, m * k);
            float[] w = random(r, n * k);
            float[] serial = new float[m * n];
            packedGemm(vector, m, a, 0, k, w, 0, n, k, true, serial, 0, n, Epilogue.of(Activation.RELU), Parallelism.SERIAL);
            for (int threads : new int[] {2, 3, 8}) {
                float[] parallel = new float[m * n];
                packedGemm(vector, m, a, 0, k, w, 0, n, k, true, parallel, 0, n, Epilogue.of(Activation.RELU), Parallelism.of(threads));
                assertArrayEquals(serial, parallel, "threads=" + threads + " m=" + m);
            }
        }
    }

    @Test
    void emptyReductionGivesTheEpilogueOfZero() {
        float[] bias = {1, -2, 3};
        float[] c = guarded(6);
        Gemm.gemm(2, 3, 0, new float[0], 0, 0, false, new float[0], 0, 3, false, c, 0, 3, Epilogue.of(bias, Activation.RELU), Parallelism.SERIAL);
        assertArrayEquals(new float[] {1, 0, 3, 1, 0, 3}, c);
    }

    @Test
    void vectorAndScalarAgreeOnRandomShapes() {
        qt().withExamples(60).forAll(integers().between(1, 150), integers().between(1, 150), integers().between(1, 400), integers().between(0, 1 << 20))
                .checkAssert((m, n, k, seed) -> {
                    Random r = new Random(seed);
                    Activation act = Activation.values()[seed % Activation.values().length];
                    float[] a = random(r, m * k);
                    float[] w = random(r, n * k);
                    float[] bias = random(r, n);
                    float[] s = new float[m * n], v = new float[m * n];
                    packedGemm(false, m, a, 0, k, w, 0, n, k, true, s, 0, n, Epilogue.of(bias, act), Parallelism.SERIAL);
                    packedGemm(true, m, a, 0, k, w, 0, n, k, true, v, 0, n, Epilogue.of(bias, act), Parallelism.of(2));
                    assertClose("m=" + m + " n=" + n + " k=" + k + " " + act, s, v, scaleFor(k));
                });
    }

    @Test
    void packedMatrixReadsBackItsSource() {
        float[] w = random(new Random(6), 5 * 7);
        PackedMatrix plain = Gemm.pack(w, 0, 5, 7, false);
        PackedMatrix transposed = Gemm.pack(w, 0, 5, 7, true);
        assertEquals(5, plain.k());
        assertEquals(7, plain.n());
        assertEquals(7, transposed.k());
        assertEquals(5, transposed.n());
        for (int p = 0; p < 5; p++) {
            for (int j = 0; j < 7; j++) {
                assertEquals(w[p * 7 + j], plain.get(p, j));
                assertEquals(w[p * 7 + j], transposed.get(j, p));
            }
        }
    }

    @Test
    void badArgumentsFailBeforeWriting() {
        float[] a = new float[12], c = guarded(12);
        PackedMatrix b = Gemm.pack(new float[12], 0, 4, 3, false);
        assertThrows(IndexOutOfBoundsException.class, () -> Gemm.gemm(4, a, 0, 4, b, c, 1, 3, Epilogue.NONE, Parallelism.SERIAL));
        assertThrows(IllegalArgumentException.class, () -> Gemm.gemm(3, a, 0, 2, b, c, 0, 3, Epilogue.NONE, Parallelism.SERIAL));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Gemm.gemm(3, a, 0, 4, b, c, 0, 3, Epilogue.of(new float[2], Activation.NONE), Parallelism.SERIAL));
        assertThrows(IllegalArgumentException.class, () -> Gemm.gemm(3, a, 0, 4, b, c, 0, 3, null, Parallelism.SERIAL));
        for (float v : c) assertEquals(GUARD, v);
        assertThrows(IllegalArgumentException.class, () -> Parallelism.of(0));
    }

    @Test
    void batchedMatMulBroadcastsAStrideOfZero() {
        Random r = new Random(7);
        int batch = 5, m = 17, n = 65, k = 33;
        float[] a = random(r, 1 + batch * m * k);
        float[] b = random(r, k * n);
        float[] c = guarded(2 + batch * m * n);
        BatchedMatMul.matmul(batch, m, n, k, a, 1, m * k, k, false, b, 0, 0, n, false, c, 2, m * n, n, Parallelism.of(2));
        for (int t = 0; t < batch; t++) {
            double[] ref = Reference.gemm(m, n, k, a, 1 + t * m * k, k, false, b, 0, n, false, Epilogue.NONE, null);
            assertClose("batch " + t, ref, c, 2 + t * m * n, m, n, n, 1);
        }
        assertEquals(GUARD, c[0]);
        assertEquals(GUARD, c[1]);
    }

    @Test
    void batchedMatMulTransposesEachOperand() {
        Random r = new Random(8);
        int batch = 3, m = 4, n = 5, k = 6;
        float[] a = random(r, batch * m * k);
        float[] b = random(r, batch * n * k);
        float[] c = new float[batch * m * n];
        // a holds [batch, k, m] and b holds [batch, n, k].
        BatchedMatMul.matmul(batch, m, n, k, a, 0, m * k, m, true, b, 0, n * k, k, true, c, 0, m * n, n, Parallelism.SERIAL);
        for (int t = 0; t < batch; t++) {
            double[] ref = Reference.gemm(m, n, k, a, t * m * k, m, true, b, t * n * k, k, true, Epilogue.NONE, null);
            assertClose("batch " + t, ref, c, t * m * n, m, n, n, 1);
        }
        assertTrue(Kernels.describe().startsWith(Kernels.vectorized() ? "vector" : "scalar"));
    }
}
