package dev.lathe.runtime.kernels;

import static dev.lathe.runtime.kernels.Close.EDGE_SIZES;
import static dev.lathe.runtime.kernels.Close.assertClose;
import static dev.lathe.runtime.kernels.Close.random;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Softmax, log-softmax, layer norm and RMS norm, both implementations, against the double reference. */
class RowOpsTest {
    private static float[] scaled(Random r, int n, float scale, float shift) {
        float[] x = random(r, n);
        for (int i = 0; i < n; i++) x[i] = x[i] * scale + shift;
        return x;
    }

    private static void softmax(boolean vector, float[] x, int off, int rows, int cols, float[] out, int outOff, boolean log) {
        if (vector) RowOpsVector.softmax(x, off, rows, cols, out, outOff, log);
        else RowOpsScalar.softmax(x, off, rows, cols, out, outOff, log);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void softmaxIsStableAndMatches(boolean vector) {
        Random r = new Random(11);
        for (int cols : EDGE_SIZES) {
            for (float shift : new float[] {0f, 1000f, -3e4f}) {
                for (boolean log : new boolean[] {false, true}) {
                    int rows = 3;
                    float[] x = scaled(r, 4 + rows * cols, 8f, shift);
                    float[] out = new float[2 + rows * cols];
                    softmax(vector, x, 4, rows, cols, out, 2, log);
                    double[] ref = Reference.softmax(x, 4, rows, cols, log);
                    assertClose("cols=" + cols + " shift=" + shift + " log=" + log, ref, out, 2, rows, cols, cols, 1);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void softmaxInPlaceAndWithMinusInfinity(boolean vector) {
        float[] x = {Float.NEGATIVE_INFINITY, 0f, 1f, Float.NEGATIVE_INFINITY, 2f};
        double[] ref = Reference.softmax(x, 0, 1, 5, false);
        softmax(vector, x, 0, 1, 5, x, 0, false);
        assertClose("in place", ref, x, 0, 1);
        float[] allMasked = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
        softmax(vector, allMasked, 0, 1, 2, allMasked, 0, false);
        assertTrue(Float.isNaN(allMasked[0]) && Float.isNaN(allMasked[1]), "an all -inf row is NaN, as in the reference");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void layerNormMatchesWithAndWithoutAffine(boolean vector) {
        Random r = new Random(12);
        for (int cols : EDGE_SIZES) {
            for (int variant = 0; variant < 4; variant++) {
                int rows = 3;
                float[] x = scaled(r, 1 + rows * cols, 3f, 5f);
                float[] w = (variant & 1) != 0 ? random(r, cols) : null;
                float[] b = (variant & 2) != 0 ? random(r, cols) : null;
                float[] out = new float[rows * cols];
                if (vector) RowOpsVector.layerNorm(x, 1, rows, cols, w, b, 1e-5f, out, 0);
                else RowOpsScalar.layerNorm(x, 1, rows, cols, w, b, 1e-5f, out, 0);
                assertClose("cols=" + cols + " variant=" + variant, Reference.layerNorm(x, 1, rows, cols, w, b, 1e-5f), out, 0, rows, cols, cols, 1);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void rmsNormMatches(boolean vector) {
        Random r = new Random(13);
        for (int cols : EDGE_SIZES) {
            for (boolean withWeight : new boolean[] {false, true}) {
                int rows = 2;
                float[] x = scaled(r, 3 + rows * cols, 4f, 0f);
                float[] w = withWeight ? random(r, cols) : null;
                float[] out = new float[5 + rows * cols];
                if (vector) RowOpsVector.rmsNorm(x, 3, rows, cols, w, 1e-6f, out, 5);
                else RowOpsScalar.rmsNorm(x, 3, rows, cols, w, 1e-6f, out, 5);
                assertClose("cols=" + cols, Reference.rmsNorm(x, 3, rows, cols, w, 1e-6f), out, 5, rows, cols, cols, 1);
            }
        }
    }

    @Test
    void facadesRunInPlace() {
        Random r = new Random(14);
        float[] x = scaled(r, 2 * 65, 2f, 1f);
        double[] ref = Reference.layerNorm(x, 0, 2, 65, null, null, 1e-5f);
        LayerNorm.rows(x, 0, 2, 65, null, null, 1e-5f, x, 0);
        assertClose("layer norm in place", ref, x, 0, 1);
        float[] y = scaled(r, 2 * 65, 2f, 1f);
        double[] ref2 = Reference.rmsNorm(y, 0, 2, 65, null, 1e-6f);
        RmsNorm.rows(y, 0, 2, 65, null, 1e-6f, y, 0);
        assertClose("rms norm in place", ref2, y, 0, 1);
        float[] z = scaled(r, 2 * 65, 2f, 1f);
        double[] ref3 = Reference.softmax(z, 0, 2, 65, true);
        Softmax.logRows(z, 0, 2, 65, z, 0);
        assertClose("log softmax in place", ref3, z, 0, 1);
    }

    @Test
    void vectorAndScalarAgreeOnRandomRows() {
        qt().withExamples(100).forAll(integers().between(1, 5), integers().between(1, 300), integers().between(0, 3), integers().between(0, 1 << 20))
                .checkAssert((rows, cols, op, seed) -> {
                    Random r = new Random(seed);
                    float[] x = scaled(r, rows * cols, 6f, 0.5f);
                    float[] w = random(r, cols), b = random(r, cols);
                    float[] s = new float[rows * cols], v = new float[rows * cols];
                    switch (op) {
                        case 0 -> {
                            RowOpsScalar.softmax(x, 0, rows, cols, s, 0, false);
                            RowOpsVector.softmax(x, 0, rows, cols, v, 0, false);
                        }
                        case 1 -> {
                            RowOpsScalar.softmax(x, 0, rows, cols, s, 0, true);
                            RowOpsVector.softmax(x, 0, rows, cols, v, 0, true);
                        }
                        case 2 -> {
                            RowOpsScalar.layerNorm(x, 0, rows, cols, w, b, 1e-5f, s, 0);
                            RowOpsVector.layerNorm(x, 0, rows, cols, w, b, 1e-5f, v, 0);
                        }
                        default -> {
                            RowOpsScalar.rmsNorm(x, 0, rows, cols, w, 1e-6f, s, 0);
                            RowOpsVector.rmsNorm(x, 0, rows, cols, w, 1e-6f, v, 0);
                        }
                    }
                    assertClose("op " + op + " rows=" + rows + " cols=" + cols, s, v, 1);
                });
    }
}
