package dev.lathe.examples.digits;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.io.Npy;
import dev.lathe.runtime.io.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains examples/digits/digits.model on the UCI handwritten digits at build time, deterministically,
 * and writes next to the model:
 * <ul>
 *   <li>{@code digits.safetensors}: {@code fc1.weight [128, 64]}, {@code fc1.bias}, {@code fc2.weight
 *       [64, 128]}, {@code fc2.bias}, {@code fc3.weight [10, 64]}, {@code fc3.bias}, all f32, with
 *       metadata: the trainer's settings and the accuracies it measured ({@code train_correct},
 *       {@code test_correct}, {@code test_rows}, {@code test_accuracy}, ...);</li>
 *   <li>{@code test_x.npy}: the test rows' raw pixels (0..16) as f32 {@code [355, 64]} (the model
 *       scales them by 1/16 itself), and {@code test_y.npy}: their labels, i64 {@code [355]}.</li>
 * </ul>
 *
 * <p>The split is {@link DigitsData}'s (stratified, every 5th row of each class is a test row).
 * Training: a 64-128-64-10 ReLU MLP, He-uniform weights and zero biases from
 * {@code SplittableRandom(SEED)}, mini-batch SGD with momentum (PyTorch's form: {@code v = mu v + g;
 * p -= lr v}) and L2 weight decay on the weights (not the biases), softmax cross-entropy averaged over
 * the batch, the training rows reshuffled each epoch (Fisher-Yates from the same generator), a fixed
 * number of epochs, learning rate cut by 10x for the last quarter. Everything runs single-threaded in
 * double precision in a fixed order (see {@link DigitsMlp}), so the weights are the same bits on every
 * machine. The accuracies are measured on the f32 weights exactly as the reference interpreter runs
 * digits.model ({@link DigitsMlp.F32}), so {@code lathe run} on test_x.npy reproduces test_correct.
 */
public final class DigitsTrainer {
    public static final long SEED = 20261127L;

    /** The trainer's settings; {@link #DEFAULT} is what the build uses. */
    public record Config(int[] sizes, int epochs, int batch, double learningRate, double momentum, double weightDecay, long seed) {
        public static final Config DEFAULT = new Config(new int[] {64, 128, 64, 10}, 30, 32, 0.05, 0.9, 5e-3, SEED);

        public Config {
            sizes = sizes.clone();
            if (sizes.length < 2 || sizes[0] != DigitsData.PIXELS || sizes[sizes.length - 1] != DigitsData.CLASSES) {
                throw new IllegalArgumentException("sizes must run from " + DigitsData.PIXELS + " to " + DigitsData.CLASSES);
            }
            if (epochs < 1 || batch < 1) throw new IllegalArgumentException("epochs and batch must be positive");
        }

        @Override
        public int[] sizes() { return sizes.clone(); }

        /** The learning rate of epoch {@code e} (from 0): the base rate, a tenth of it in the last quarter. */
        double learningRate(int e) { return e >= epochs - epochs / 4 ? learningRate / 10 : learningRate; }
    }

    /** What training produced: the model in double precision and the mean training loss of each epoch. */
    record Trained(DigitsMlp model, double[] epochLoss) {}

    private DigitsTrainer() {}

    /** Pixels 0..16 scaled to [0, 1] (division by 16 is exact), as the training input. */
    static double[] scaled(int[] pixels) {
        double[] x = new double[pixels.length];
        for (int i = 0; i < x.length; i++) x[i] = pixels[i] / (double) DigitsData.MAX_PIXEL;
        return x;
    }

    /** Trains on {@code rows} of {@code data} with {@code config}. */
    static Trained train(DigitsData data, int[] rows, Config config) {
        SplittableRandom root = new SplittableRandom(config.seed());
        SplittableRandom initRandom = root.split();
        SplittableRandom shuffleRandom = root.split();
        DigitsMlp model = DigitsMlp.heUniform(config.sizes(), initRandom);
        DigitsMlp velocity = model.zerosLike();
        double[][] inputs = new double[data.rows()][];
        for (int r : rows) inputs[r] = scaled(data.pixels()[r]);
        int[] order = rows.clone();
        double[] epochLoss = new double[config.epochs()];
        for (int e = 0; e < config.epochs(); e++) {
            shuffle(order, shuffleRandom);
            double lr = config.learningRate(e), total = 0;
            for (int start = 0; start < order.length; start += config.batch()) {
                int end = Math.min(start + config.batch(), order.length);
                DigitsMlp grad = model.zerosLike();
                for (int k = start; k < end; k++) total += model.accumulateGradient(inputs[order[k]], data.labels()[order[k]], grad);
                step(model, velocity, grad, end - start, lr, config);
            }
            epochLoss[e] = total / order.length;
        }
        return new Trained(model, epochLoss);
    }

    /** Fisher-Yates shuffle of {@code a} in place. */
    static void shuffle(int[] a, SplittableRandom rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** One SGD-with-momentum step from the summed gradient of {@code n} examples. */
    private static void step(DigitsMlp model, DigitsMlp velocity, DigitsMlp gradSum, int n, double lr, Config c) {
        for (int l = 0; l < model.layers(); l++) {
            double[] p = model.w[l], v = velocity.w[l], g = gradSum.w[l];
            for (int i = 0; i < p.length; i++) {
                v[i] = c.momentum() * v[i] + (g[i] / n + c.weightDecay() * p[i]);
                p[i] -= lr * v[i];
            }
            p = model.b[l];
            v = velocity.b[l];
            g = gradSum.b[l];
            for (int i = 0; i < p.length; i++) {
                v[i] = c.momentum() * v[i] + g[i] / n;
                p[i] -= lr * v[i];
            }
        }
    }

    /** How many of {@code rows} the f32 model classifies correctly. */
    static int correct(DigitsMlp.F32 model, DigitsData data, int[] rows) {
        int ok = 0;
        for (int r : rows) if (model.predict(rawFloats(data.pixels()[r])) == data.labels()[r]) ok++;
        return ok;
    }

    static float[] rawFloats(int[] pixels) {
        float[] f = new float[pixels.length];
        for (int i = 0; i < f.length; i++) f[i] = pixels[i];
        return f;
    }

    /** The weights file's tensors: {@code fc1.weight}, {@code fc1.bias}, ... as digits.model names its params. */
    static Map<String, Tensor> tensors(DigitsMlp.F32 model) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        for (int l = 0; l < model.layers(); l++) {
            String name = "fc" + (l + 1);
            t.put(name + ".weight", Tensor.ofFloats(new long[] {model.sizes()[l + 1], model.sizes()[l]}, model.w()[l].clone()));
            t.put(name + ".bias", Tensor.ofFloats(new long[] {model.sizes()[l + 1]}, model.b()[l].clone()));
        }
        return t;
    }

    /** The test rows' raw pixels as f32 {@code [N, 64]}. */
    static Tensor testX(DigitsData data, int[] rows) {
        float[] x = new float[rows.length * DigitsData.PIXELS];
        for (int k = 0; k < rows.length; k++) {
            int[] p = data.pixels()[rows[k]];
            for (int i = 0; i < DigitsData.PIXELS; i++) x[k * DigitsData.PIXELS + i] = p[i];
        }
        return Tensor.ofFloats(new long[] {rows.length, DigitsData.PIXELS}, x);
    }

    /** The test rows' labels as i64 {@code [N]}. */
    static Tensor testY(DigitsData data, int[] rows) {
        long[] y = new long[rows.length];
        for (int k = 0; k < rows.length; k++) y[k] = data.labels()[rows[k]];
        return Tensor.ofLongs(DType.I64, new long[] {rows.length}, y);
    }

    static String fraction(int correct, int rows) {
        return String.format(Locale.ROOT, "%.4f", correct / (double) rows);
    }

    /** {@code args[0]}: the examples folder (default {@code examples}); writes into its {@code digits/}. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "examples").resolve("digits");
        long t0 = System.nanoTime();
        DigitsData data = DigitsData.read(dir.resolve("data/digits.csv.gz"));
        int[] trainRows = data.trainRows(), testRows = data.testRows();
        Config c = Config.DEFAULT;
        Trained trained = train(data, trainRows, c);
        DigitsMlp.F32 model = trained.model().toF32();
        int trainCorrect = correct(model, data, trainRows), testCorrect = correct(model, data, testRows);

        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("generator", DigitsTrainer.class.getName());
        meta.put("data", "UCI Optical Recognition of Handwritten Digits (E. Alpaydin, C. Kaynak, 1998), CC BY 4.0: data/digits.csv.gz");
        meta.put("split", "stratified: per class, in file order, every " + DigitsData.TEST_EVERY + "th row is a test row");
        meta.put("input", "raw pixels 0..16 (the model scales by 1/16)");
        meta.put("seed", Long.toString(c.seed()));
        meta.put("sizes", Arrays.toString(c.sizes()));
        meta.put("epochs", Integer.toString(c.epochs()));
        meta.put("batch", Integer.toString(c.batch()));
        meta.put("learning_rate", Double.toString(c.learningRate()));
        meta.put("momentum", Double.toString(c.momentum()));
        meta.put("weight_decay", Double.toString(c.weightDecay()));
        meta.put("final_train_loss", String.format(Locale.ROOT, "%.6f", trained.epochLoss()[c.epochs() - 1]));
        meta.put("train_rows", Integer.toString(trainRows.length));
        meta.put("train_correct", Integer.toString(trainCorrect));
        meta.put("train_accuracy", fraction(trainCorrect, trainRows.length));
        meta.put("test_rows", Integer.toString(testRows.length));
        meta.put("test_correct", Integer.toString(testCorrect));
        meta.put("test_accuracy", fraction(testCorrect, testRows.length));

        SafetensorsWriter.write(dir.resolve("digits.safetensors"), tensors(model), meta);
        Npy.write(dir.resolve("test_x.npy"), testX(data, testRows));
        Npy.write(dir.resolve("test_y.npy"), testY(data, testRows));
        System.out.printf(Locale.ROOT, "digits: trained %s for %d epochs in %.1f s (final loss %s); train accuracy %s (%d/%d), test accuracy %s (%d/%d)%n",
                meta.get("sizes"), c.epochs(), (System.nanoTime() - t0) / 1e9, meta.get("final_train_loss"),
                meta.get("train_accuracy"), trainCorrect, trainRows.length, meta.get("test_accuracy"), testCorrect, testRows.length);
        System.out.println("wrote " + dir.resolve("digits.safetensors") + ", test_x.npy, test_y.npy");
    }
}
