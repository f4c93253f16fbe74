package dev.lathe.examples.mavendigits;

import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.io.Npy;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Classifies the digits test set with the facades lathe-maven-plugin generated from
 * src/main/models/digits.model: {@link Digits} (graph {@code main}, logits per image) and
 * {@link DigitsAccuracy} (graph {@code accuracy}, the fraction classified right).
 *
 * <p>Argument: the folder holding {@code test_x.npy} and {@code test_y.npy} (default
 * {@code ../digits}, where the main build writes them).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws IOException {
        Path data = Path.of(args.length > 0 ? args[0] : "../digits");
        float[][] images = rows(Npy.read(data.resolve("test_x.npy")));   // [355, 64], pixels 0..16
        long[] labels = Npy.read(data.resolve("test_y.npy")).toLongArray(); // [355]

        Digits digits = Digits.load();
        float[][] logits = digits.run(images);                              // [355, 10]
        int correct = 0;
        for (int i = 0; i < images.length; i++) {
            if (argmax(logits[i]) == labels[i]) correct++;
        }
        System.out.printf("Digits.run: %d of %d test images right (%.2f%%)%n", correct, images.length, 100.0 * correct / images.length);

        float accuracy = DigitsAccuracy.load().run(images, labels);
        System.out.printf("DigitsAccuracy.run: %.6f%n", accuracy);

        float[] first = images[0];
        System.out.printf("image 0 is a %d (label %d)%n", argmax(digits.run(new float[][] {first})[0]), labels[0]);
    }

    private static float[][] rows(Tensor t) {
        int n = (int) t.dim(0), d = (int) t.dim(1);
        float[] flat = t.toFloatArray();
        float[][] out = new float[n][d];
        for (int i = 0; i < n; i++) System.arraycopy(flat, i * d, out[i], 0, d);
        return out;
    }

    private static int argmax(float[] scores) {
        int best = 0;
        for (int k = 1; k < scores.length; k++) {
            if (scores[k] > scores[best]) best = k;
        }
        return best;
    }
}
