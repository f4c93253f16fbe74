package dev.lathe.pass.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.lathe.interp.QuantOps;
import dev.lathe.pass.ErrorBound;
import dev.lathe.pass.TestGraph;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The DGQ (A8W4) guarantees of issue 5 on random weights with outliers and a quarter exact zeros
 * (pruned weights), symmetric and asymmetric: the int8 weights stay in [-128, 127], the error stays
 * within its certificate, zeros stay zeros, and the A8W4 layer of the interpreter stays within the
 * weight bound plus the int8 activation bound of an exact float computation.
 */
class DgqQuantizerPropertiesTest {
    private static final double EPS = 1e-9;

    /** An [m, n] Gaussian weight with a random scale per row, a few outliers 10x larger, about a quarter exact zeros. */
    private static double[] weight(long seed, int m, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] w = new double[m * n];
        for (int i = 0; i < m; i++) {
            double rowScale = Math.exp(4 * r.nextDouble() - 2);
            for (int j = 0; j < n; j++) {
                int kind = r.nextInt(16);
                w[i * n + j] = kind < 4 ? 0 : rowScale * TestGraph.normal(r) * (kind == 15 ? 10 : 1);
            }
        }
        return w;
    }

    @Test
    void int8WeightsStayInRangeAndTheErrorWithinItsCertificate() {
        qt().withFixedSeed(61).withExamples(150)
                .forAll(longs().all(), integers().between(1, 5), integers().between(1, 4), integers().between(1, 16))
                .checkAssert((seed, m, groups, group) -> {
                    for (boolean symmetric : new boolean[] {true, false}) {
                        int n = groups * group;
                        double[] w = weight(seed, m, n);
                        DgqQuantizer.Result dq = DgqQuantizer.quantize(w, m, n, group, symmetric, null);
                        for (long v : dq.int8Weight()) assertTrue(v >= -128 && v <= 127, "int8 weight " + v);
                        for (long v : dq.q()) assertTrue(v >= dq.qmin() && v <= dq.qmax(), "4-bit weight " + v);
                        for (long s : dq.groupScales()) assertTrue(s >= 1 && s <= DgqQuantizer.GROUP_SCALE_MAX, "group scale " + s);
                        for (double s : dq.channelScales()) assertEquals(s, (float) s, "channel scales are f32");
                        double[] deq = dq.dequantize();
                        double[] bounds = dq.elementBounds(w);
                        double maxError = 0, maxBound = 0;
                        for (int e = 0; e < w.length; e++) {
                            double d = Math.abs(w[e] - deq[e]);
                            assertTrue(d <= bounds[e] * (1 + EPS), "element " + e + ": |" + w[e] + " - " + deq[e] + "| > " + bounds[e]);
                            if (w[e] == 0) assertEquals(0.0, deq[e], "a pruned weight stays zero at " + e);
                            maxError = Math.max(maxError, d);
                            maxBound = Math.max(maxBound, bounds[e]);
                        }
                        List<ErrorBound> certificate = DgqQuantizer.certificate(w, dq);
                        assertEquals(maxBound, certificate.get(0).value());
                        assertEquals(maxError, certificate.get(1).value());
                    }
                });
    }

    /**
     * The A8W4 layer of the interpreter, against the float product with the original weight: each
     * output is within {@code sum_k |x_k| * bound_k} (the weights) plus {@code max|x| / 254 * ||deq(W)_o||_1}
     * (the int8 activations).
     */
    @Test
    void theA8W4LayerStaysWithinTheWeightAndActivationBounds() {
        qt().withFixedSeed(62).withExamples(150)
                .forAll(longs().all(), integers().between(1, 5), integers().between(1, 3), integers().between(2, 16))
                .checkAssert((seed, m, groups, group) -> {
                    boolean symmetric = Math.floorMod(seed, 2L) == 0;
                    int n = groups * group;
                    double[] w = weight(seed, m, n);
                    DgqQuantizer.Result dq = DgqQuantizer.quantize(w, m, n, group, symmetric, null);
                    SplittableRandom r = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
                    float[] x = new float[n];
                    for (int k = 0; k < n; k++) x[k] = (float) (3 * TestGraph.normal(r));
                    int cols = n / group;
                    Tensor y = QuantOps.dgqLinear(Tensor.ofFloats(new long[] {1, n}, x),
                            Tensor.ofLongs(symmetric ? DType.I4 : DType.U4, new long[] {m, n}, dq.q()),
                            Tensor.fromDoubles(DType.F32, new long[] {m, 1}, dq.channelScales()),
                            symmetric ? null : Tensor.ofLongs(DType.U4, new long[] {m, cols}, dq.zeros()),
                            Tensor.ofLongs(DType.U8, new long[] {m, cols}, dq.groupScales()), null, group);
                    double[] deq = dq.dequantize();
                    double[] bounds = dq.elementBounds(w);
                    double xmax = 0;
                    for (float v : x) xmax = Math.max(xmax, Math.abs(v));
                    for (int o = 0; o < m; o++) {
                        double exact = 0, weightBound = 0, l1 = 0;
                        for (int k = 0; k < n; k++) {
                            exact += x[k] * w[o * n + k];
                            weightBound += Math.abs(x[k]) * bounds[o * n + k];
                            l1 += Math.abs(deq[o * n + k]);
                        }
                        double bound = weightBound + xmax * l1 * QuantizePass.DYNAMIC_ROUNDING;
                        double got = y.getDouble(o);
                        // plus the f32 rounding of the result
                        assertTrue(Math.abs(got - exact) <= bound + 1e-6 * (1 + Math.abs(exact)), "output " + o + ": " + got + " vs " + exact
                                + ", bound " + bound);
                    }
                });
    }

    /** quantize(dequantize(quantize(W))) = quantize(W): the dequantized weights lie on the grid, with the same scales. */
    @Test
    void requantizingTheDequantizedWeightsGivesTheSameIntegersAndScales() {
        qt().withFixedSeed(63).withExamples(100)
                .forAll(longs().all(), integers().between(1, 4), integers().between(1, 3), integers().between(2, 16))
                .checkAssert((seed, m, groups, group) -> {
                    boolean symmetric = Math.floorMod(seed, 2L) == 0;
                    int n = groups * group;
                    DgqQuantizer.Result once = DgqQuantizer.quantize(weight(seed, m, n), m, n, group, symmetric, null);
                    double[] deq = once.dequantize();
                    // the integers under the same scales
                    for (int e = 0; e < deq.length; e++) {
                        int c = (e / n) * once.cols() + (e % n) / group;
                        long z = symmetric ? 0 : once.zeros()[c];
                        long q = Math.clamp((long) Math.rint(deq[e] / (once.channelScales()[e / n] * once.groupScales()[c])) + z, once.qmin(), once.qmax());
                        assertEquals(once.q()[e], q, "element " + e);
                    }
                });
    }

    /** With the weights' own grid, DGQ loses nothing: integers times an exact channel scale come back exactly. */
    @Test
    void weightsOnTheGridComeBackExactly() {
        // row max 112 = 7 * 16 gives channel scale 1 at c = 1; every value a multiple of its group's scale
        double[] w = {112, -112, 16, 0, 3, -2, 1, 0};
        DgqQuantizer.Result dq = DgqQuantizer.quantize(w, 1, 8, 4, true, null);
        double[] deq = dq.dequantize();
        for (int e = 0; e < w.length; e++) assertEquals(w[e], deq[e], "element " + e);
        assertEquals(16, dq.groupScales()[0]);
        assertEquals(1, dq.groupScales()[1]);
    }
}
