package dev.lathe.examples.digits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The trainer's pieces: loss and gradients, reproducibility, the schedule. */
class DigitsTrainerTest {
    @Test
    void softmaxCrossEntropyGradientMatchesFiniteDifferences() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int trial = 0; trial < 50; trial++) {
            int n = 2 + rnd.nextInt(12);
            double[] z = new double[n];
            for (int i = 0; i < n; i++) z[i] = 8 * (rnd.nextDouble() - 0.5);
            int label = rnd.nextInt(n);
            double[] grad = new double[n];
            double loss = DigitsMlp.softmaxCrossEntropy(z, label, grad);
            assertEquals(naiveLoss(z, label), loss, 1e-12, "loss");
            double h = 1e-6, sum = 0;
            for (int i = 0; i < n; i++) {
                double[] plus = z.clone(), minus = z.clone();
                plus[i] += h;
                minus[i] -= h;
                double numeric = (naiveLoss(plus, label) - naiveLoss(minus, label)) / (2 * h);
                assertEquals(numeric, grad[i], 1e-7, "trial " + trial + ", d loss / d z[" + i + "]");
                sum += grad[i];
            }
            assertEquals(0, sum, 1e-12, "softmax - onehot sums to 0");
            assertTrue(grad[label] < 0, "the true class's logit is pushed up");
        }
    }

    /** -log(exp(z[label]) / sum exp(z)), written out directly (fine for moderate logits). */
    private static double naiveLoss(double[] z, int label) {
        double s = 0;
        for (double v : z) s += Math.exp(v);
        return -Math.log(Math.exp(z[label]) / s);
    }

    @Test
    void softmaxCrossEntropyIsFiniteForHugeLogits() {
        double[] grad = new double[3];
        double loss = DigitsMlp.softmaxCrossEntropy(new double[] {1000, 0, -1000}, 1, grad);
        assertEquals(1000, loss, 1e-9);
        assertArrayEquals(new double[] {1, -1, 0}, grad, 1e-12);
        assertEquals(Math.log(4), DigitsMlp.softmaxCrossEntropy(new double[] {3, 3, 3, 3}, 2, new double[4]), 1e-15);
    }

    @Test
    void backpropagationMatchesFiniteDifferences() {
        SplittableRandom rnd = new SplittableRandom(11);
        DigitsMlp m = DigitsMlp.heUniform(new int[] {6, 5, 4, 3}, rnd);
        for (double[] b : m.b) for (int i = 0; i < b.length; i++) b[i] = 0.3 * (rnd.nextDouble() - 0.5);
        double[] x = new double[6];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextDouble();
        int label = 2;
        // Finite differences are only valid away from ReLU kinks: make sure no pre-activation is near 0.
        double[][] a = m.forward(x);
        DigitsMlp grad = m.zerosLike();
        double loss = m.accumulateGradient(x, label, grad);
        assertEquals(m.loss(x, label), loss, 0);
        boolean someOff = false;
        for (int l = 1; l < m.layers(); l++) for (double v : a[l]) someOff |= v == 0;
        assertTrue(someOff, "the check should cover a ReLU that is off (pick another seed)");
        double h = 1e-6;
        for (int l = 0; l < m.layers(); l++) {
            for (double[][] pair : new double[][][] {{m.w[l], grad.w[l]}, {m.b[l], grad.b[l]}}) {
                double[] p = pair[0], g = pair[1];
                for (int i = 0; i < p.length; i++) {
                    double keep = p[i];
                    p[i] = keep + h;
                    double up = m.loss(x, label);
                    p[i] = keep - h;
                    double down = m.loss(x, label);
                    p[i] = keep;
                    double numeric = (up - down) / (2 * h);
                    assertEquals(numeric, g[i], 1e-7 + 1e-5 * Math.abs(numeric), "layer " + l + " param " + i);
                }
            }
        }
    }

    @Test
    void gradientsOfABatchAreTheSumOfTheExamples() {
        SplittableRandom rnd = new SplittableRandom(3);
        DigitsMlp m = DigitsMlp.heUniform(new int[] {4, 3, 2}, rnd);
        double[] x1 = {0.1, 0.9, 0.4, 0.2}, x2 = {0.7, 0.3, 0.8, 0.5};
        DigitsMlp both = m.zerosLike(), one = m.zerosLike(), two = m.zerosLike();
        m.accumulateGradient(x1, 0, both);
        m.accumulateGradient(x2, 1, both);
        m.accumulateGradient(x1, 0, one);
        m.accumulateGradient(x2, 1, two);
        for (int l = 0; l < m.layers(); l++) {
            for (int i = 0; i < m.w[l].length; i++) assertEquals(one.w[l][i] + two.w[l][i], both.w[l][i], 0);
        }
    }

    @Test
    void trainingIsBitwiseReproducibleAndDependsOnTheSeed() throws IOException {
        DigitsData data = DigitsData.read(Path.of("digits/data/digits.csv.gz"));
        int[] rows = Arrays.copyOf(data.trainRows(), 300);
        DigitsTrainer.Config c = new DigitsTrainer.Config(new int[] {64, 16, 10}, 4, 32, 0.05, 0.9, 5e-3, 1);
        DigitsTrainer.Trained a = DigitsTrainer.train(data, rows, c);
        DigitsTrainer.Trained b = DigitsTrainer.train(data, rows, c);
        for (int l = 0; l < a.model().layers(); l++) {
            assertArrayEquals(a.model().w[l], b.model().w[l], 0, "layer " + l);
            assertArrayEquals(a.model().b[l], b.model().b[l], 0, "layer " + l);
        }
        assertArrayEquals(a.epochLoss(), b.epochLoss(), 0);
        assertTrue(a.epochLoss()[3] < a.epochLoss()[0], "the loss falls: " + Arrays.toString(a.epochLoss()));
        DigitsTrainer.Config other = new DigitsTrainer.Config(c.sizes(), c.epochs(), c.batch(), c.learningRate(), c.momentum(), c.weightDecay(), 2);
        assertFalse(Arrays.equals(a.model().w[0], DigitsTrainer.train(data, rows, other).model().w[0]), "another seed gives other weights");
    }

    @Test
    void shuffleIsADeterministicPermutation() {
        int[] a = new int[100];
        for (int i = 0; i < a.length; i++) a[i] = i;
        int[] b = a.clone();
        DigitsTrainer.shuffle(a, new SplittableRandom(5));
        DigitsTrainer.shuffle(b, new SplittableRandom(5));
        assertArrayEquals(a, b);
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) assertEquals(i, sorted[i]);
        assertFalse(Arrays.equals(sorted, a), "shuffled");
    }

    @Test
    void learningRateDropsTenfoldForTheLastQuarter() {
        DigitsTrainer.Config c = DigitsTrainer.Config.DEFAULT;
        assertEquals(30, c.epochs());
        assertEquals(0.05, c.learningRate(0));
        assertEquals(0.05, c.learningRate(22));
        assertEquals(0.005, c.learningRate(23), 1e-18);
        assertEquals(0.005, c.learningRate(29), 1e-18);
    }

    @Test
    void scaledPixelsAreExactSixteenths() {
        assertArrayEquals(new double[] {0, 0.0625, 0.5, 1}, DigitsTrainer.scaled(new int[] {0, 1, 8, 16}), 0);
    }
}
