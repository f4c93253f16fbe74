package dev.lathe.pass.quantize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.lathe.ir.Node.QuantGranularity;
import dev.lathe.pass.TestGraph;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The round-to-nearest guarantees of issue 5, item 5, on random weights with a fraction of exact
 * zeros (pruned weights), every granularity, 8 and 4 bits, symmetric and asymmetric.
 */
class QuantizerPropertiesTest {
    /** Relative slack for the double arithmetic of w / scale and (q - zero) * scale. */
    private static final double EPS = 1e-12;

    /** An [m, n] weight with n = groups * group, Gaussian with a random scale per row, about a quarter exact zeros. */
    private static double[] weight(long seed, int m, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] w = new double[m * n];
        for (int i = 0; i < m; i++) {
            double rowScale = Math.exp(3 * r.nextDouble() - 1.5);
            for (int j = 0; j < n; j++) w[i * n + j] = r.nextInt(4) == 0 ? 0 : rowScale * TestGraph.normal(r);
        }
        return w;
    }

    private static Quantizer.Scheme scheme(boolean eight, boolean symmetric) {
        return new Quantizer.Scheme(eight ? 8 : 4, symmetric);
    }

    private static QuantGranularity granularity(int i) {
        return QuantGranularity.values()[i];
    }

    private static double scaleOf(Quantizer.Quantized qw, int r, int i) {
        return qw.scales()[qw.layout().cellOf(r, i)];
    }

    @Test
    void inRangeRoundToNearestErrsByAtMostHalfAScaleAndZeroIsExact() {
        qt().withFixedSeed(51).withExamples(200)
                .forAll(longs().all(), integers().between(1, 6), integers().between(1, 4), integers().between(1, 8))
                .checkAssert((seed, m, groups, group) -> {
                    int g = (int) Math.floorMod(seed, 3L);
                    for (boolean eight : new boolean[] {true, false}) {
                        for (boolean symmetric : new boolean[] {true, false}) {
                            int n = groups * group;
                            double[] w = weight(seed, m, n);
                            Quantizer.Layout layout = Quantizer.Layout.of(m, n, granularity(g), group);
                            Quantizer.Quantized qw = Quantizer.quantize(w, layout, scheme(eight, symmetric), new Quantizer.MinMax());
                            double[] deq = qw.dequantize();
                            for (int r = 0; r < m; r++) {
                                for (int i = 0; i < n; i++) {
                                    int e = r * n + i;
                                    double s = scaleOf(qw, r, i);
                                    assertTrue(Math.abs(w[e] - deq[e]) <= s / 2 * (1 + EPS), () -> "element " + e + ": " + w[e] + " -> " + deq[e]);
                                    if (w[e] == 0) assertEquals(0.0, deq[e], "zero at " + e + (symmetric ? " (symmetric)" : " (asymmetric)"));
                                }
                            }
                        }
                    }
                });
    }

    @Test
    void requantizingTheDequantizedWeightsGivesTheSameIntegers() {
        qt().withFixedSeed(52).withExamples(200)
                .forAll(longs().all(), integers().between(1, 6), integers().between(1, 16), integers().between(0, 3))
                .checkAssert((seed, m, n, variant) -> {
                    boolean eight = variant % 2 == 0;
                    boolean symmetric = variant / 2 == 0;
                    double[] w = weight(seed, m, n);
                    Quantizer.Layout layout = Quantizer.Layout.of(m, n, QuantGranularity.CHANNEL, n);
                    Quantizer.Scheme s = scheme(eight, symmetric);
                    Quantizer.Quantized qw = Quantizer.quantize(w, layout, s, new Quantizer.Mse());
                    assertArrayEquals(qw.q(), Quantizer.quantizeWith(qw.dequantize(), layout, s, qw.scales(), qw.zeros()));
                });
    }

    private static double maxBound(double[] w, Quantizer.Layout layout, Quantizer.Scheme s) {
        double max = 0;
        for (double b : Quantizer.quantize(w, layout, s, new Quantizer.MinMax()).elementBounds(w)) max = Math.max(max, b);
        return max;
    }

    @Test
    void theBoundIsMonotoneInGranularity() {
        qt().withFixedSeed(53).withExamples(200)
                .forAll(longs().all(), integers().between(1, 6), integers().between(1, 4), integers().between(1, 8))
                .checkAssert((seed, m, groups, group) -> {
                    boolean symmetric = Math.floorMod(seed, 2L) == 0;
                    for (boolean eight : new boolean[] {true, false}) {
                        int n = groups * group;
                        double[] w = weight(seed, m, n);
                        Quantizer.Scheme s = scheme(eight, symmetric);
                        double perGroup = maxBound(w, Quantizer.Layout.of(m, n, QuantGranularity.GROUP, group), s);
                        double perChannel = maxBound(w, Quantizer.Layout.of(m, n, QuantGranularity.CHANNEL, n), s);
                        double perTensor = maxBound(w, Quantizer.Layout.of(m, n, QuantGranularity.TENSOR, n), s);
                        // group scales are f16, rounded up: at most one f16 step (2^-10 relative, 2^-24 below 2^-14) above the f32 ones
                        assertTrue(perGroup <= perChannel * (1 + 0x1p-10) + 0x1p-25 && perChannel <= perTensor,
                                perGroup + " <= " + perChannel + " <= " + perTensor);
                    }
                });
    }

    @Test
    void weightOnlyGemvErrorIsWithinTheSumOfHalfScalesTimesInputs() {
        qt().withFixedSeed(54).withExamples(200)
                .forAll(longs().all(), integers().between(1, 6), integers().between(1, 4), integers().between(1, 8))
                .checkAssert((seed, m, groups, group) -> {
                    int g = (int) Math.floorMod(seed, 3L);
                    int n = groups * group;
                    double[] w = weight(seed, m, n);
                    SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
                    double[] x = new double[n];
                    for (int k = 0; k < n; k++) x[k] = 4 * TestGraph.normal(r);
                    Quantizer.Quantized qw = Quantizer.quantize(w, Quantizer.Layout.of(m, n, granularity(g), group), scheme(false, Math.floorMod(seed, 2L) == 0),
                            new Quantizer.MinMax());
                    double[] deq = qw.dequantize();
                    for (int o = 0; o < m; o++) {
                        double exact = 0, approx = 0, bound = 0;
                        for (int k = 0; k < n; k++) {
                            exact += x[k] * w[o * n + k];
                            approx += x[k] * deq[o * n + k];
                            bound += Math.abs(x[k]) * scaleOf(qw, o, k) / 2;
                        }
                        assertTrue(Math.abs(exact - approx) <= bound * (1 + 1e-9) + 1e-12, "row " + o + ": " + Math.abs(exact - approx) + " > " + bound);
                    }
                });
    }

    @Test
    void percentileOneHundredIsMinMax() {
        qt().withFixedSeed(55).withExamples(150)
                .forAll(longs().all(), integers().between(1, 6), integers().between(1, 16), integers().between(0, 3))
                .checkAssert((seed, m, n, variant) -> {
                    int g = variant % 2;
                    boolean symmetric = variant / 2 == 0;
                    double[] w = weight(seed, m, n);
                    Quantizer.Layout layout = Quantizer.Layout.of(m, n, granularity(g), n);
                    Quantizer.Scheme s = scheme(true, symmetric);
                    Quantizer.Quantized minMax = Quantizer.quantize(w, layout, s, new Quantizer.MinMax());
                    Quantizer.Quantized p100 = Quantizer.quantize(w, layout, s, new Quantizer.Percentile(100));
                    assertArrayEquals(minMax.scales(), p100.scales());
                    assertArrayEquals(minMax.zeros(), p100.zeros());
                    assertArrayEquals(minMax.q(), p100.q());
                });
    }

    /** MSE searches ratios including 1 (min-max), so its squared error is never larger; clipped weights stay within their bounds. */
    @Test
    void mseIsNoWorseThanMinMaxAndClippedWeightsStayWithinTheirBounds() {
        qt().withFixedSeed(56).withExamples(150)
                .forAll(longs().all(), integers().between(1, 6), integers().between(1, 32), integers().between(0, 3))
                .checkAssert((seed, m, n, variant) -> {
                    boolean eight = variant % 2 == 0;
                    boolean symmetric = variant / 2 == 0;
                    double[] w = weight(seed, m, n);
                    Quantizer.Layout layout = Quantizer.Layout.of(m, n, QuantGranularity.CHANNEL, n);
                    Quantizer.Scheme s = scheme(eight, symmetric);
                    double minMax = squaredError(w, Quantizer.quantize(w, layout, s, new Quantizer.MinMax()));
                    for (Quantizer.Calibration c : new Quantizer.Calibration[] {new Quantizer.Mse(), new Quantizer.Percentile(90)}) {
                        Quantizer.Quantized qw = Quantizer.quantize(w, layout, s, c);
                        if (c instanceof Quantizer.Mse) assertTrue(squaredError(w, qw) <= minMax * (1 + 1e-9), squaredError(w, qw) + " > " + minMax);
                        double[] deq = qw.dequantize();
                        double[] bounds = qw.elementBounds(w);
                        for (int e = 0; e < w.length; e++) assertTrue(Math.abs(w[e] - deq[e]) <= bounds[e] * (1 + EPS), c + " element " + e);
                    }
                });
    }

    private static double squaredError(double[] w, Quantizer.Quantized qw) {
        double[] deq = qw.dequantize();
        double s = 0;
        for (int e = 0; e < w.length; e++) s += (w[e] - deq[e]) * (w[e] - deq[e]);
        return s;
    }

    @Test
    void nearestRankPercentilesByHand() {
        double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(10, Quantizer.nearestRank(sorted, 100));
        assertEquals(9, Quantizer.nearestRank(sorted, 90));
        assertEquals(9, Quantizer.nearestRank(sorted, 85));
        assertEquals(1, Quantizer.nearestRank(sorted, 0));
    }
}
