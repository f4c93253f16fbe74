package dev.lathe.runtime.kernels;

import static dev.lathe.runtime.kernels.Close.assertClose;
import static dev.lathe.runtime.kernels.Close.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Attention, both implementations, against the interpreter's definition (as a double loop). */
class AttentionTest {
    private static void run(boolean vector, float[] q, float[] k, float[] v, int batch, int sq, int sk, int heads, int dh, int dv,
                            float scale, boolean causal, AttentionMask mask, float[] out, int outOff, Parallelism par) {
        run(vector, q, k, v, batch, sq, sk, heads, dh, dv, scale, causal, 0, mask, out, outOff, par);
    }

    private static void run(boolean vector, float[] q, float[] k, float[] v, int batch, int sq, int sk, int heads, int dh, int dv,
                            float scale, boolean causal, int window, AttentionMask mask, float[] out, int outOff, Parallelism par) {
        Attention.run(vector, q, 1, k, 2, v, 3, batch, sq, sk, heads, dh, dv, scale, causal, window, mask, out, outOff, par);
    }

    private static void check(boolean vector, Random r, int batch, int sq, int sk, int heads, int dh, int dv, boolean causal, int maskKind) {
        check(vector, r, batch, sq, sk, heads, dh, dv, causal, 0, maskKind);
    }

    private static void check(boolean vector, Random r, int batch, int sq, int sk, int heads, int dh, int dv, boolean causal, int window,
                              int maskKind) {
        float[] q = random(r, 1 + batch * sq * heads * dh);
        float[] k = random(r, 2 + batch * sk * heads * dh);
        float[] v = random(r, 3 + batch * sk * heads * dv);
        for (int i = 0; i < q.length; i++) q[i] *= 3; // sharper softmax
        AttentionMask mask = switch (maskKind) {
            case 1 -> { // additive [sq, sk] with some -inf
                float[] m = random(r, sq * sk);
                for (int i = 0; i < m.length; i += 7) m[i] = Float.NEGATIVE_INFINITY;
                yield AttentionMask.additive(m, 0, new int[] {sq, sk});
            }
            case 2 -> { // bool [batch, heads, sq, sk], query row 0 fully hidden
                boolean[] m = new boolean[batch * heads * sq * sk];
                for (int i = 0; i < m.length; i++) m[i] = r.nextInt(4) != 0 && (i / sk) % sq != 0;
                yield AttentionMask.allowed(m, 0, new int[] {batch, heads, sq, sk});
            }
            case 3 -> { // additive [batch, 1, 1, sk] key padding
                float[] m = new float[batch * sk];
                for (int i = 0; i < m.length; i++) m[i] = i % sk >= sk - 2 ? Float.NEGATIVE_INFINITY : 0f;
                yield AttentionMask.additive(m, 0, new int[] {batch, 1, 1, sk});
            }
            default -> null;
        };
        float scale = (float) (1 / Math.sqrt(dh));
        float[] out = new float[5 + batch * sq * heads * dv];
        run(vector, q, k, v, batch, sq, sk, heads, dh, dv, scale, causal, window, mask, out, 5, Parallelism.of(2));
        double[] ref = Reference.attention(q, 1, k, 2, v, 3, batch, sq, sk, heads, dh, dv, scale, causal, window, mask);
        assertClose((vector ? "vector" : "scalar") + " b=" + batch + " sq=" + sq + " sk=" + sk + " heads=" + heads + " dh=" + dh + " dv=" + dv
                + " causal=" + causal + " window=" + window + " mask=" + maskKind, ref, out, 5, 1);
        assertEquals(0f, out[4]);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void matchesTheReferenceOnEdgeShapes(boolean vector) {
        Random r = new Random(31);
        int[][] shapes = {
            // batch, sq, sk, heads, dh, dv
            {1, 1, 1, 1, 1, 1}, {1, 17, 17, 2, 16, 16}, {2, 65, 65, 3, 17, 65}, {1, 3, 129, 1, 64, 64},
            {1, 129, 63, 2, 8, 3}, {2, 64, 64, 1, 64, 129}, {1, 63, 130, 4, 5, 7}, {1, 1, 200, 2, 64, 64},
        };
        for (int[] s : shapes) {
            for (int maskKind = 0; maskKind < 4; maskKind++) {
                for (boolean causal : new boolean[] {false, true}) {
                    check(vector, r, s[0], s[1], s[2], s[3], s[4], s[5], causal, maskKind);
                }
            }
        }
    }

    /**
     * Sliding windows: shorter than a key block, spanning several, longer than the sequence; sq != sk so
     * the positions shift; with masks, so a row may see nothing inside its window.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void slidingWindowsMatchTheReference(boolean vector) {
        Random r = new Random(34);
        int[][] shapes = {
            // batch, sq, sk, heads, dh, dv
            {1, 200, 200, 2, 16, 16}, {2, 65, 130, 1, 64, 64}, {1, 130, 65, 3, 8, 5}, {1, 1, 300, 1, 4, 4},
        };
        for (int[] s : shapes) {
            for (int window : new int[] {1, 5, 64, 77, 1000}) {
                for (boolean causal : new boolean[] {false, true}) {
                    check(vector, r, s[0], s[1], s[2], s[3], s[4], s[5], causal, window, window % 3);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void longSequencesStayExact(boolean vector) {
        check(vector, new Random(32), 1, 40, 1500, 2, 32, 32, true, 3);
    }

    @Test
    void rowsWithNoVisibleKeyAreZero() {
        // sq > sk with causal: the first sq - sk queries see nothing.
        for (boolean vector : new boolean[] {false, true}) {
            Random r = new Random(33);
            int sq = 5, sk = 3, d = 4;
            float[] q = random(r, 1 + sq * d), k = random(r, 2 + sk * d), v = random(r, 3 + sk * d);
            float[] out = new float[5 + sq * d];
            java.util.Arrays.fill(out, 9f);
            run(vector, q, k, v, 1, sq, sk, 1, d, d, 0.5f, true, null, out, 5, Parallelism.SERIAL);
            for (int c = 0; c < 2 * d; c++) assertEquals(0f, out[5 + c], "vector=" + vector);
            assertClose("visible rows", Reference.attention(q, 1, k, 2, v, 3, 1, sq, sk, 1, d, d, 0.5, true, null), out, 5, 1);
        }
    }

    @Test
    void vectorAndScalarAgreeOnRandomShapes() {
        qt().withExamples(60).forAll(integers().between(1, 70), integers().between(1, 150), integers().between(1, 70), integers().between(0, 1 << 20))
                .checkAssert((sq, sk, d, seed) -> {
                    Random r = new Random(seed);
                    int heads = 1 + seed % 3;
                    boolean causal = (seed & 8) != 0;
                    float[] q = random(r, 1 + sq * heads * d), k = random(r, 2 + sk * heads * d), v = random(r, 3 + sk * heads * d);
                    float[] s = new float[sq * heads * d], o = new float[sq * heads * d];
                    run(false, q, k, v, 1, sq, sk, heads, d, d, 0.3f, causal, null, s, 0, Parallelism.SERIAL);
                    run(true, q, k, v, 1, sq, sk, heads, d, d, 0.3f, causal, null, o, 0, Parallelism.of(2));
                    assertClose("sq=" + sq + " sk=" + sk + " d=" + d, s, o, 1);
                });
    }
}
