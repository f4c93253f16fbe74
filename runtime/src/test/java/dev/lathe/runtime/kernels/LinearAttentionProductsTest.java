package dev.lathe.runtime.kernels;

import static dev.lathe.runtime.kernels.Close.assertClose;
import static dev.lathe.runtime.kernels.Close.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The FAVOR+ / ELU+1 kernel's small operations, vector and scalar versions, against double arithmetic done
 * here: products at any offsets and leading dimensions (with and without accumulation, every tile
 * shape and its leftovers), the fused exp against Math.exp, the reductions with and without tails.
 */
class LinearAttentionProductsTest {
    @Test
    void productsMatchDoubleArithmetic() {
        qt().withExamples(150).forAll(integers().between(1, 40), integers().between(1, 6), integers().between(0, 70), integers().between(0, 1_000_000))
                .checkAssert((m, vectors, k, seed) -> {
                    Random r = new Random(seed);
                    for (boolean vector : new boolean[] {false, true}) {
                        if (vector && !Kernels.vectorized()) continue;
                        int lanes = vector ? LinearAttentionProductsVector.LANES : LinearAttentionProductsScalar.LANES;
                        int n = vectors * lanes;
                        int lda = k + r.nextInt(5), ldb = n + r.nextInt(20), ldc = n + r.nextInt(20);
                        int aOff = r.nextInt(7), bOff = r.nextInt(7), cOff = r.nextInt(7);
                        boolean accumulate = r.nextBoolean();
                        float[] a = random(r, aOff + m * lda + 1), b = random(r, bOff + k * ldb + n), c = random(r, cOff + m * ldc + n);
                        double[] want = new double[m * n];
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                double s = accumulate ? c[cOff + i * ldc + j] : 0;
                                for (int p = 0; p < k; p++) s += (double) a[aOff + i * lda + p] * b[bOff + p * ldb + j];
                                want[i * n + j] = s;
                            }
                        }
                        float[] before = c.clone();
                        if (vector) LinearAttentionProductsVector.mul(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
                        else LinearAttentionProductsScalar.mul(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
                        String what = (vector ? "vector" : "scalar") + " m=" + m + " n=" + n + " k=" + k + (accumulate ? " accumulate" : "");
                        assertClose(what, want, c, cOff, m, n, ldc, Close.scaleFor(k + 1));
                        // Nothing outside C's rows and columns is written.
                        for (int i = 0; i < c.length; i++) {
                            int row = (i - cOff) / ldc, col = (i - cOff) % ldc;
                            boolean inside = i >= cOff && row < m && col < n;
                            if (!inside) assertEquals(before[i], c[i], what + ": element " + i + " outside C changed");
                        }
                    }
                });
    }

    @Test
    void shiftedExpMatchesMathExpDownToUnderflow() {
        Random r = new Random(1);
        for (boolean vector : new boolean[] {false, true}) {
            if (vector && !Kernels.vectorized()) continue;
            for (int n : new int[] {1, 15, 16, 17, 100, 256}) {
                float by = r.nextFloat() * 20 - 10;
                float[] x = new float[n + 3];
                double[] want = new double[n];
                for (int i = 0; i < n; i++) {
                    // Arguments x - by from -110 (below float's normal range: 0 there) up to 0.
                    x[i + 3] = by - (i == 0 ? 0f : r.nextFloat() * 110);
                    want[i] = Math.exp((double) x[i + 3] - by);
                }
                if (vector) LinearAttentionProductsVector.shiftedExp(x, 3, n, by);
                else LinearAttentionProductsScalar.shiftedExp(x, 3, n, by);
                assertClose((vector ? "vector" : "scalar") + " exp n=" + n, want, x, 3, 1);
                for (int i = 0; i < n; i++) {
                    if (x[i + 3] < 0 || Float.isNaN(x[i + 3])) throw new AssertionError("exp " + i + " is " + x[i + 3]);
                }
            }
        }
    }

    @Test
    void reductionsMatchDoubleArithmetic() {
        qt().withExamples(100).forAll(integers().between(0, 100), integers().between(0, 1_000_000)).checkAssert((n, seed) -> {
            Random r = new Random(seed);
            for (boolean vector : new boolean[] {false, true}) {
                if (vector && !Kernels.vectorized()) continue;
                String what = (vector ? "vector" : "scalar") + " n=" + n;
                int off = r.nextInt(5);
                float[] x = random(r, off + n), y = random(r, off + n);
                double sum = 0, dot = 0, max = Double.NEGATIVE_INFINITY;
                double[] squares = new double[n], scaled = new double[n];
                float[] sums = random(r, n);
                for (int i = 0; i < n; i++) {
                    sum += x[off + i];
                    dot += (double) x[off + i] * y[off + i];
                    max = Math.max(max, x[off + i]);
                    squares[i] = sums[i] + (double) x[off + i] * x[off + i];
                    scaled[i] = x[off + i] * 0.75;
                }
                float[] scaledGot = new float[n + 2];
                float gotSum, gotDot, gotMax;
                if (vector) {
                    gotSum = LinearAttentionProductsVector.sum(x, off, n);
                    gotDot = LinearAttentionProductsVector.dot(x, off, y, off, n);
                    gotMax = LinearAttentionProductsVector.max(x, off, n);
                    LinearAttentionProductsVector.addSquares(x, off, n, sums);
                    LinearAttentionProductsVector.scaleInto(x, off, n, 0.75f, scaledGot, 2);
                } else {
                    gotSum = LinearAttentionProductsScalar.sum(x, off, n);
                    gotDot = LinearAttentionProductsScalar.dot(x, off, y, off, n);
                    gotMax = LinearAttentionProductsScalar.max(x, off, n);
                    LinearAttentionProductsScalar.addSquares(x, off, n, sums);
                    LinearAttentionProductsScalar.scaleInto(x, off, n, 0.75f, scaledGot, 2);
                }
                double scale = Close.scaleFor(n);
                assertClose(what + " sum", new double[] {sum}, new float[] {gotSum}, 0, scale);
                assertClose(what + " dot", new double[] {dot}, new float[] {gotDot}, 0, scale);
                assertEquals((float) max, gotMax, what + " max");
                assertClose(what + " add squares", squares, sums, 0, 1);
                assertClose(what + " scale into", scaled, scaledGot, 2, 1);
            }
        });
    }

    @Test
    void rowSumsMatchDoubleArithmetic() {
        // Rows past 16 and 32 take the vector version's 16-row tree and then its one-row tail; n off whole
        // vectors takes the tail alone.
        qt().withExamples(150).forAll(integers().between(0, 40), integers().between(0, 5), integers().between(0, 3), integers().between(0, 1_000_000))
                .checkAssert((rows, vectors, extra, seed) -> {
                    Random r = new Random(seed);
                    for (boolean vector : new boolean[] {false, true}) {
                        if (vector && !Kernels.vectorized()) continue;
                        int lanes = vector ? LinearAttentionProductsVector.LANES : 4;
                        int n = vectors * lanes + (r.nextBoolean() ? 0 : extra), ld = n + r.nextInt(20), off = r.nextInt(7), yOff = r.nextInt(5);
                        int outOff = r.nextInt(3);
                        boolean weighted = r.nextBoolean(), accumulate = r.nextBoolean();
                        float[] x = random(r, off + rows * ld + n), y = weighted ? random(r, yOff + n) : null, got = random(r, outOff + rows + 2);
                        float[] before = got.clone();
                        double[] want = new double[rows];
                        for (int i = 0; i < rows; i++) {
                            double t = accumulate ? got[outOff + i] : 0;
                            for (int c = 0; c < n; c++) t += (double) x[off + i * ld + c] * (weighted ? y[yOff + c] : 1);
                            want[i] = t;
                        }
                        if (vector) LinearAttentionProductsVector.rowSums(x, off, ld, rows, n, y, yOff, got, outOff, accumulate);
                        else LinearAttentionProductsScalar.rowSums(x, off, ld, rows, n, y, yOff, got, outOff, accumulate);
                        String what = (vector ? "vector" : "scalar") + " rows=" + rows + " n=" + n + (weighted ? " weighted" : "")
                                + (accumulate ? " accumulate" : "");
                        assertClose(what, want, got, outOff, Close.scaleFor(n + 1));
                        for (int i = 0; i < got.length; i++) {
                            if (i < outOff || i >= outOff + rows) assertEquals(before[i], got[i], what + ": element " + i + " outside the rows changed");
                        }
                    }
                });
    }
}
