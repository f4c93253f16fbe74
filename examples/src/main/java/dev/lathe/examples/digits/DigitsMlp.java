package dev.lathe.examples.digits;

import java.util.SplittableRandom;

/**
 * A multilayer perceptron with ReLU between layers, trained in double precision: layer l maps
 * {@code sizes[l]} inputs to {@code sizes[l + 1]} outputs by {@code y = W x + b} with
 * {@code W: [out, in]} row-major (torch.nn.Linear's layout), and every layer but the last is
 * followed by ReLU. The last layer's outputs are the logits.
 *
 * <p>Reproducibility: every sum runs in a fixed index order in plain double arithmetic (Java does
 * not contract {@code a * b + c} into a fused multiply-add, and float/double arithmetic is strict
 * IEEE 754 since Java 17), and the only transcendental functions are {@link StrictMath#exp} and
 * {@link StrictMath#log}, whose results are specified bit for bit. So training gives the same bits
 * on every JVM and machine.
 */
final class DigitsMlp {
    final int[] sizes;
    /** {@code w[l]}: layer l's weight, {@code [sizes[l + 1], sizes[l]]} row-major. */
    final double[][] w;
    /** {@code b[l]}: layer l's bias, {@code [sizes[l + 1]]}. */
    final double[][] b;

    DigitsMlp(int[] sizes) {
        if (sizes.length < 2) throw new IllegalArgumentException("an MLP needs at least an input and an output size");
        this.sizes = sizes.clone();
        int layers = sizes.length - 1;
        w = new double[layers][];
        b = new double[layers][];
        for (int l = 0; l < layers; l++) {
            w[l] = new double[sizes[l + 1] * sizes[l]];
            b[l] = new double[sizes[l + 1]];
        }
    }

    int layers() { return w.length; }

    /**
     * He (Kaiming) uniform initialisation for ReLU networks: each weight uniform in
     * {@code ±sqrt(6 / fan_in)}, drawn layer by layer in row-major order; biases zero.
     */
    static DigitsMlp heUniform(int[] sizes, SplittableRandom rnd) {
        DigitsMlp m = new DigitsMlp(sizes);
        for (int l = 0; l < m.layers(); l++) {
            double bound = Math.sqrt(6.0 / sizes[l]);
            for (int i = 0; i < m.w[l].length; i++) m.w[l][i] = bound * (2 * rnd.nextDouble() - 1);
        }
        return m;
    }

    /** A model of the same sizes with every parameter zero (used to accumulate gradients). */
    DigitsMlp zerosLike() { return new DigitsMlp(sizes); }

    /**
     * The activations of every layer for one input: {@code a[0]} is {@code x}, {@code a[l + 1]} the
     * output of layer l after its ReLU (none after the last, so {@code a[layers()]} are the logits).
     */
    double[][] forward(double[] x) {
        double[][] a = new double[layers() + 1][];
        a[0] = x;
        for (int l = 0; l < layers(); l++) {
            int in = sizes[l], out = sizes[l + 1];
            double[] y = new double[out];
            double[] wl = w[l];
            for (int o = 0; o < out; o++) {
                double s = b[l][o];
                for (int i = 0; i < in; i++) s += wl[o * in + i] * a[l][i];
                y[o] = l < layers() - 1 && s < 0 ? 0 : s;
            }
            a[l + 1] = y;
        }
        return a;
    }

    /**
     * Softmax cross-entropy of {@code logits} against {@code label}: returns
     * {@code -log softmax(logits)[label]} and writes its gradient with respect to the logits,
     * {@code softmax(logits) - onehot(label)}, into {@code dLogits}. The maximum is subtracted first,
     * so large logits do not overflow.
     */
    static double softmaxCrossEntropy(double[] logits, int label, double[] dLogits) {
        int n = logits.length;
        if (label < 0 || label >= n) throw new IllegalArgumentException("label " + label + " is outside 0.." + (n - 1));
        double max = logits[0];
        for (int i = 1; i < n; i++) if (logits[i] > max) max = logits[i];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            dLogits[i] = StrictMath.exp(logits[i] - max);
            sum += dLogits[i];
        }
        for (int i = 0; i < n; i++) dLogits[i] /= sum;
        dLogits[label] -= 1;
        return StrictMath.log(sum) - (logits[label] - max);
    }

    /**
     * Adds the gradient of one example's softmax cross-entropy loss to {@code grad} (which has this
     * model's sizes) and returns the loss.
     */
    double accumulateGradient(double[] x, int label, DigitsMlp grad) {
        double[][] a = forward(x);
        double[] delta = new double[sizes[layers()]];
        double loss = softmaxCrossEntropy(a[layers()], label, delta);
        for (int l = layers() - 1; l >= 0; l--) {
            int in = sizes[l], out = sizes[l + 1];
            double[] wl = w[l], gw = grad.w[l], gb = grad.b[l], input = a[l];
            double[] deltaIn = l > 0 ? new double[in] : null;
            for (int o = 0; o < out; o++) {
                double d = delta[o];
                if (d == 0) continue; // contributes nothing (a ReLU that was off, or an exact zero)
                gb[o] += d;
                int row = o * in;
                for (int i = 0; i < in; i++) gw[row + i] += d * input[i];
                if (deltaIn != null) for (int i = 0; i < in; i++) deltaIn[i] += wl[row + i] * d;
            }
            if (deltaIn != null) {
                // Back through the previous layer's ReLU: its output a[l] is 0 exactly where it was off.
                for (int i = 0; i < in; i++) if (input[i] <= 0) deltaIn[i] = 0;
                delta = deltaIn;
            }
        }
        return loss;
    }

    /** The loss of one example, without gradients. */
    double loss(double[] x, int label) {
        double[] logits = forward(x)[layers()];
        return softmaxCrossEntropy(logits, label, new double[logits.length]);
    }

    /** The index of the largest logit (the first of equals), in double precision. */
    int predict(double[] x) { return argmax(forward(x)[layers()]); }

    static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    /** This model's parameters rounded to f32, as they are stored in the weights file. */
    F32 toF32() {
        float[][] fw = new float[layers()][], fb = new float[layers()][];
        for (int l = 0; l < layers(); l++) {
            fw[l] = toFloats(w[l]);
            fb[l] = toFloats(b[l]);
        }
        return new F32(sizes.clone(), fw, fb);
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    /**
     * The f32 model as digits.model computes it in Lathe's reference interpreter: the input (raw
     * pixels) times 0.0625 rounded to f32 (exact), then per layer a sum in double in index order that
     * starts from the bias, adds {@code x[i] * w[o, i]} for i = 0, 1, ... and is rounded to f32 once
     * (the interpreter's {@code linear}), ReLU between layers, and argmax taking the first of equal
     * logits. Products of two floats are exact in double, so this reproduces the interpreter's
     * logits bit for bit.
     */
    record F32(int[] sizes, float[][] w, float[][] b) {
        int layers() { return w.length; }

        float[] logits(float[] rawPixels) {
            float[] a = new float[rawPixels.length];
            for (int i = 0; i < a.length; i++) a[i] = (float) ((double) rawPixels[i] * 0.0625);
            for (int l = 0; l < layers(); l++) {
                int in = sizes[l], out = sizes[l + 1];
                float[] y = new float[out];
                for (int o = 0; o < out; o++) {
                    double s = b[l][o];
                    for (int i = 0; i < in; i++) s += (double) a[i] * (double) w[l][o * in + i];
                    float v = (float) s;
                    y[o] = l < layers() - 1 ? (float) Math.max((double) v, 0.0) : v;
                }
                a = y;
            }
            return a;
        }

        int predict(float[] rawPixels) {
            float[] z = logits(rawPixels);
            int best = 0;
            for (int i = 1; i < z.length; i++) if (z[i] > z[best]) best = i;
            return best;
        }
    }
}
