package dev.lathe.runtime.kernels;

import static dev.lathe.runtime.kernels.Close.EDGE_SIZES;
import static dev.lathe.runtime.kernels.Close.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Activations and exp, both implementations, against double-precision math on finite inputs. */
class ActivationsTest {
    private static final float[] SPECIAL = {0f, -0f, 1e-7f, -1e-7f, 1e-3f, -1e-3f, 0.5f, -0.5f, 3f, -3f, 9.9f, -9.9f, 20f, -20f,
        50f, -50f, 87f, -87f, 88.5f, -88.5f, 100f, -100f, 1e4f, -1e4f, 3e38f, -3e38f};

    private static float[] inputs(Random r, int n, float range) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = i < SPECIAL.length && n > 40 ? SPECIAL[i] : (r.nextFloat() * 2 - 1) * range;
        return x;
    }

    private static void run(boolean vector, Activation act, float[] x, int off, int n, float[] out, int outOff) {
        if (vector) ActivationsVector.apply(act, x, off, n, out, outOff);
        else ActivationsScalar.apply(act, x, off, n, out, outOff);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void bothImplementationsMatchTheReference(Activation act) {
        Random r = new Random(act.ordinal());
        for (boolean vector : new boolean[] {false, true}) {
            for (int n : new int[] {1, 3, 17, 63, 64, 65, 129, 1000}) {
                float[] x = inputs(r, n + 5, 12f);
                float[] out = new float[n + 9];
                run(vector, act, x, 5, n, out, 9);
                double[] ref = new double[n];
                for (int i = 0; i < n; i++) ref[i] = Reference.activation(act, x[5 + i]);
                assertClose((vector ? "vector " : "scalar ") + act + " n=" + n, ref, out, 9, 1);
                assertEquals(0f, out[8]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void expMatchesMathExpAcrossTheFloatRange(boolean vector) {
        Random r = new Random(9);
        for (int n : EDGE_SIZES) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) x[i] = (r.nextFloat() * 2 - 1) * 95f;
            if (n > 5) {
                x[0] = 88.7f;
                x[1] = 88.73f;
                x[2] = -87.3f;
                x[3] = -120f;
                x[4] = 0f;
            }
            float[] out = new float[n];
            if (vector) ActivationsVector.exp(x, 0, n, out, 0);
            else ActivationsScalar.exp(x, 0, n, out, 0);
            double[] ref = new double[n];
            for (int i = 0; i < n; i++) ref[i] = (float) Math.exp(x[i]);
            assertClose("exp n=" + n, ref, out, 0, 1);
        }
    }

    @Test
    void vectorExpIsWithinTwoUlpsOnItsRange() {
        int n = 200_001;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = -87f + 175f * i / (n - 1);
        float[] out = new float[n];
        ActivationsVector.exp(x, 0, n, out, 0);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double e = Math.exp(x[i]);
            worst = Math.max(worst, Math.abs(out[i] - e) / e);
        }
        assertTrue(worst < 3e-7, "relative error " + worst);
    }

    @Test
    void inPlaceApplicationIsAllowed() {
        float[] x = inputs(new Random(10), 70, 5f);
        double[] ref = new double[70];
        for (int i = 0; i < 70; i++) ref[i] = Reference.activation(Activation.GELU_ERF, x[i]);
        Activations.apply(Activation.GELU_ERF, x, 0, 70, x, 0);
        assertClose("in place", ref, x, 0, 1);
    }

    @Test
    void vectorAndScalarAgreeOnRandomRuns() {
        qt().withExamples(200).forAll(integers().between(0, 300), integers().between(0, 20), integers().between(0, 6), integers().between(0, 1 << 20))
                .checkAssert((n, off, a, seed) -> {
                    Activation act = Activation.values()[a];
                    float[] x = inputs(new Random(seed), off + n, 30f);
                    float[] s = new float[n], v = new float[n];
                    ActivationsScalar.apply(act, x, off, n, s, 0);
                    ActivationsVector.apply(act, x, off, n, v, 0);
                    assertClose(act + " n=" + n, s, v, 1);
                });
    }
}
