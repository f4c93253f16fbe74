package dev.lathe.runtime.kernels;

import static dev.lathe.runtime.kernels.Close.assertClose;
import static dev.lathe.runtime.kernels.Close.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The f32 linear-attention kernels, vector and scalar, against the double reference the interpreter
 * runs ({@link LinearAttention#forward(double[], double[], double[], int, int, int, int, int, int, int, int, long, boolean, double)}).
 */
class LinearAttentionTest {
    private static final String[] NAMES = {"favor", "elu", "nystrom", "window"};

    /** Runs both, compares per element within DESIGN.md §4 scaled by the longest reduction. */
    private static void check(boolean vector, Random r, int batch, int sq, int sk, int heads, int dh, int dv, int method, int size,
                              boolean causal, Parallelism par) {
        float[] q = random(r, batch * sq * heads * dh);
        float[] k = random(r, batch * sk * heads * dh);
        float[] v = random(r, batch * sk * heads * dv);
        double scale = 1 / Math.sqrt(dh);
        double[] want = LinearAttention.forward(doubles(q), doubles(k), doubles(v), batch, sq, sk, heads, dh, dv, method, size, 9, causal, scale);
        float[] got = new float[want.length];
        java.util.Arrays.fill(got, Float.NaN); // every element must be written
        LinearAttention.forward(vector, q, k, v, batch, sq, sk, heads, dh, dv, method, size, 9, causal, scale, got, par);
        String what = NAMES[method] + (causal ? " causal" : "") + (vector ? " vector" : " scalar") + " batch=" + batch + " sq=" + sq + " sk=" + sk
                + " heads=" + heads + " dh=" + dh + " dv=" + dv + " size=" + size;
        double conditioning = method == LinearAttention.NYSTROM ? nystromCondition(q, k, batch, sq, sk, heads, dh, size, scale) : 1;
        assertClose(what, want, got, 0, Close.scaleFor(Math.max(sk, Math.max(dh, size))) * conditioning);
    }

    /**
     * Nystrom multiplies by pinv(A), which amplifies the f32 rounding of its other factors by up to
     * cond(A) = |A| |pinv(A)| (infinity norms): the tolerance grows by cond(A) / 1000 once that is
     * above 1 (f32 rounding, about 6e-8, times 1000 is still below the 1e-4 relative tolerance).
     */
    private static double nystromCondition(float[] q, float[] k, int batch, int sq, int sk, int heads, int dh, int landmarks, double scale) {
        int lq = Math.min(landmarks, sq), lk = Math.min(landmarks, sk), d = heads * dh;
        double worst = 1;
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                double[] ql = LinearAttention.segmentMeans(headSlice(q, b, sq, d, h * dh, dh), sq, dh, lq);
                double[] kl = LinearAttention.segmentMeans(headSlice(k, b, sk, d, h * dh, dh), sk, dh, lk);
                double[] a = new double[lq * lk];
                for (int i = 0; i < lq; i++) {
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int j = 0; j < lk; j++) {
                        double dot = 0;
                        for (int c = 0; c < dh; c++) dot += ql[i * dh + c] * kl[j * dh + c];
                        a[i * lk + j] = dot * scale;
                        max = Math.max(max, a[i * lk + j]);
                    }
                    for (int j = 0; j < lk; j++) sum += a[i * lk + j] = Math.exp(a[i * lk + j] - max);
                    for (int j = 0; j < lk; j++) a[i * lk + j] /= sum;
                }
                double cond = normInf(a, lq, lk) * normInf(LinearAttention.pseudoInverse(a, lq, lk), lk, lq);
                worst = Math.max(worst, cond / 1000);
            }
        }
        return worst;
    }

    private static double[] headSlice(float[] x, int b, int rows, int width, int from, int count) {
        double[] out = new double[rows * count];
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < count; c++) out[i * count + c] = x[(b * rows + i) * width + from + c];
        }
        return out;
    }

    private static double normInf(double[] a, int rows, int cols) {
        double norm = 0;
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int j = 0; j < cols; j++) s += Math.abs(a[i * cols + j]);
            norm = Math.max(norm, s);
        }
        return norm;
    }

    private static double[] doubles(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i];
        return out;
    }

    private static final int[][] SHAPES = { // batch, sq, sk, heads, dh, dv
            {1, 1, 1, 1, 1, 1}, {2, 17, 17, 2, 8, 5}, {1, 63, 65, 3, 16, 16}, {2, 65, 63, 1, 7, 9}, {1, 130, 130, 2, 32, 24},
            {1, 200, 200, 1, 64, 64},
    };

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void everyMethodMatchesTheReferenceOnOddShapes(boolean vector) {
        if (vector && !Kernels.vectorized()) return;
        Random r = new Random(1);
        for (int[] s : SHAPES) {
            for (int method = 0; method < 4; method++) {
                for (boolean causal : new boolean[] {false, true}) {
                    if (method == LinearAttention.NYSTROM && causal) continue;
                    int size = switch (method) {
                        case LinearAttention.FAVOR -> 37;
                        case LinearAttention.NYSTROM -> 5;
                        case LinearAttention.WINDOW -> 7;
                        default -> 0;
                    };
                    check(vector, r, s[0], s[1], s[2], s[3], s[4], s[5], method, size, causal, Parallelism.SERIAL);
                }
            }
        }
    }

    @Test
    void randomShapesAndSizesMatchTheReference() {
        qt().withExamples(60).forAll(integers().between(0, 3), integers().between(1, 150), integers().between(1, 150),
                integers().between(0, 1_000_000)).checkAssert((method, sq, sk, seed) -> {
            Random r = new Random(seed);
            int size = 1 + r.nextInt(100);
            boolean causal = method != LinearAttention.NYSTROM && r.nextBoolean();
            int heads = 1 + r.nextInt(3), dh = 1 + r.nextInt(20), dv = 1 + r.nextInt(20), batch = 1 + r.nextInt(2);
            check(Kernels.vectorized(), r, batch, sq, sk, heads, dh, dv, method, method == LinearAttention.NYSTROM ? 1 + size % 12 : size, causal,
                    Parallelism.SERIAL);
            check(false, r, batch, sq, sk, heads, dh, dv, method, method == LinearAttention.NYSTROM ? 1 + size % 12 : size, causal,
                    Parallelism.SERIAL);
        });
    }

    @Test
    void longSequencesAndManyFeaturesMatchTheReference() {
        Random r = new Random(2);
        for (boolean causal : new boolean[] {false, true}) {
            check(Kernels.vectorized(), r, 1, 1000, 1000, 2, 64, 64, LinearAttention.FAVOR, 256, causal, Parallelism.SERIAL);
            check(Kernels.vectorized(), r, 1, 1000, 1000, 2, 64, 64, LinearAttention.ELU, 0, causal, Parallelism.SERIAL);
            check(Kernels.vectorized(), r, 1, 1000, 1000, 2, 64, 64, LinearAttention.WINDOW, 100, causal, Parallelism.SERIAL);
        }
        check(Kernels.vectorized(), r, 1, 1000, 1000, 2, 64, 64, LinearAttention.NYSTROM, 64, false, Parallelism.SERIAL);
    }

    /**
     * The FAVOR+ / ELU+1 kernel's query blocks (32 rows) and feature windows (256 rows) at every
     * alignment, causal and not: one block or less, lengths one off a block or a window, more queries
     * than keys and more keys than queries (keys entering the state across windows before the first
     * diagonal block, or queries that see no key), feature and value widths off the vector width.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void blocksAndWindowsAtEveryAlignment(boolean vector) {
        if (vector && !Kernels.vectorized()) return;
        Random r = new Random(6);
        int[][] lengths = {{5, 5}, {31, 31}, {32, 32}, {33, 33}, {255, 255}, {256, 256}, {257, 257}, {300, 700}, {700, 300}, {45, 600}, {530, 529}};
        for (boolean causal : new boolean[] {true, false}) {
            for (int[] s : lengths) {
                check(vector, r, 1, s[0], s[1], 2, 16, 24, LinearAttention.FAVOR, 40, causal, Parallelism.SERIAL);
                check(vector, r, 1, s[0], s[1], 1, 9, 16, LinearAttention.ELU, 0, causal, Parallelism.SERIAL);
            }
            check(vector, r, 2, 290, 290, 2, 64, 64, LinearAttention.FAVOR, 256, causal, Parallelism.SERIAL);
        }
    }

    @Test
    void threadsGiveTheSameResultAsOneThread() {
        Random r = new Random(3);
        int batch = 2, s = 300, heads = 3, dh = 16, dv = 8;
        float[] q = random(r, batch * s * heads * dh), k = random(r, batch * s * heads * dh), v = random(r, batch * s * heads * dv);
        for (int method = 0; method < 4; method++) {
            for (boolean causal : new boolean[] {false, true}) {
                if (causal && method == LinearAttention.NYSTROM) continue;
                float[] one = new float[batch * s * heads * dv], four = new float[one.length];
                LinearAttention.forward(q, k, v, batch, s, s, heads, dh, dv, method, 20, 5, causal, Double.NaN, one, Parallelism.SERIAL);
                LinearAttention.forward(q, k, v, batch, s, s, heads, dh, dv, method, 20, 5, causal, Double.NaN, four, Parallelism.of(4));
                assertEquals(java.util.Arrays.toString(one), java.util.Arrays.toString(four), NAMES[method] + (causal ? " causal" : ""));
            }
        }
    }

    /** The vector pseudo-inverse is the reference's iteration: the same result up to rounding. */
    @Test
    void vectorPseudoInverseMatchesTheReference() {
        if (!Kernels.vectorized()) return;
        qt().withExamples(40).forAll(integers().between(1, 70), integers().between(1, 70), integers().between(0, 1_000_000)).checkAssert((m, n, seed) -> {
            Random r = new Random(seed);
            double[] a = new double[m * n];
            for (int i = 0; i < a.length; i++) a[i] = r.nextGaussian();
            double[] want = LinearAttention.pseudoInverse(a, m, n), got = LinearAttentionPinvVector.pseudoInverse(a, m, n);
            double norm = 0;
            for (double x : want) norm = Math.max(norm, Math.abs(x));
            for (int i = 0; i < want.length; i++) {
                if (Math.abs(want[i] - got[i]) > 1e-6 * norm) throw new AssertionError("m=" + m + " n=" + n + " element " + i + ": " + got[i] + " vs " + want[i]);
            }
        });
    }

    /** FAVOR+ keys far apart in norm: the running stabilizer must rescale the state, not overflow or lose the large keys. */
    @Test
    void favorStabilizerHandlesGrowingKeyNorms() {
        Random r = new Random(4);
        int s = 300, dh = 16, dv = 4;
        float[] q = random(r, s * dh), k = random(r, s * dh), v = random(r, s * dv);
        for (int i = 0; i < s; i++) {
            for (int c = 0; c < dh; c++) k[i * dh + c] *= 1 + i / 20f; // later blocks have larger logits
        }
        for (boolean causal : new boolean[] {false, true}) {
            double[] want = LinearAttention.forward(doubles(q), doubles(k), doubles(v), 1, s, s, 1, dh, dv, LinearAttention.FAVOR, 64, 3, causal,
                    0.25);
            float[] got = new float[want.length];
            LinearAttention.forward(q, k, v, 1, s, s, 1, dh, dv, LinearAttention.FAVOR, 64, 3, causal, 0.25, got);
            assertClose("favor growing keys" + (causal ? " causal" : ""), want, got, 0, Close.scaleFor(s));
        }
    }

    /** Scratch depends on the block and feature sizes, not on the sequence length: memory linear in S. */
    @Test
    void scratchDoesNotGrowWithTheSequence() {
        Random r = new Random(5);
        int dh = 64, dv = 64;
        for (int method : new int[] {LinearAttention.FAVOR, LinearAttention.ELU, LinearAttention.WINDOW, LinearAttention.NYSTROM}) {
            for (boolean causal : new boolean[] {false, true}) {
                if (causal && method == LinearAttention.NYSTROM) continue;
                long[] held = new long[2];
                int[] lengths = {512, 2048};
                for (int t = 0; t < 2; t++) {
                    int s = lengths[t];
                    float[] q = random(r, s * dh), k = random(r, s * dh), v = random(r, s * dv), out = new float[s * dv];
                    LinearAttentionScratch.release();
                    LinearAttention.forward(q, k, v, 1, s, s, 1, dh, dv, method, 64, 1, causal, Double.NaN, out);
                    held[t] = LinearAttentionScratch.floatsHeld();
                }
                assertEquals(held[0], held[1], NAMES[method] + (causal ? " causal" : "") + " scratch floats at S = 512 and 2048");
            }
        }
        LinearAttentionScratch.release();
    }

    @Test
    void badArgumentsAreRejected() {
        float[] x = new float[8];
        assertThrows(IllegalArgumentException.class,
                () -> LinearAttention.forward(x, x, x, 1, 2, 2, 1, 4, 4, LinearAttention.NYSTROM, 2, 0, true, Double.NaN, x));
        assertThrows(IllegalArgumentException.class,
                () -> LinearAttention.forward(x, x, x, 1, 2, 2, 1, 4, 4, LinearAttention.FAVOR, 0, 0, false, Double.NaN, x));
        assertThrows(IndexOutOfBoundsException.class,
                () -> LinearAttention.forward(x, x, x, 1, 3, 2, 1, 4, 4, LinearAttention.ELU, 0, 0, false, Double.NaN, x));
    }
}
