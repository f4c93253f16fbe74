package dev.lathe.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.api.Lathe;
import dev.lathe.api.LoadOptions;
import dev.lathe.examples.digits.DigitsData;
import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.io.Npy;
import dev.lathe.runtime.io.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The trained digits example (examples/digits): the build's DigitsTrainer wrote digits.safetensors,
 * test_x.npy and test_y.npy; here the reference interpreter runs digits.model on the test split.
 *
 * <p>The trainer measures its accuracy on the f32 weights with the interpreter's own arithmetic for
 * {@code linear} (a double sum in index order starting from the bias, rounded to f32 once), so the
 * number of correct rows must be exactly the one it recorded in the weights file's metadata
 * ({@code test_correct}). Had it measured with its double-precision training weights instead, rows
 * whose two best logits differ by less than the f32 rounding of the weights could go either way; if
 * the interpreter's summation order ever changes, the same can happen, and this test says so.
 */
class DigitsExampleTest {
    static Path dir;
    static Map<String, String> meta;
    static Tensor x, y;

    @BeforeAll
    static void readFiles() throws IOException {
        dir = RepoFiles.root().resolve("examples/digits");
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("digits.safetensors"))) {
            meta = f.metadata();
        }
        x = Npy.read(dir.resolve("test_x.npy"));
        y = Npy.read(dir.resolve("test_y.npy"));
    }

    @Test
    void interpreterAccuracyOnTheTestSplitIsTheTrainersAndAtLeast95Percent() {
        Graph graph = Lathe.requireBound(Lathe.load(dir.resolve("digits.model"), LoadOptions.defaults()));
        Tensor logits = Interpreter.run(graph, Map.of("x", x)).get("logits");
        int rows = (int) x.dim(0);
        assertArrayEquals(new long[] {rows, 10}, logits.shape());
        int correct = 0;
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int c = 1; c < 10; c++) if (logits.getDouble(r * 10 + c) > logits.getDouble(r * 10 + best)) best = c;
            if (best == y.getLong(r)) correct++;
        }
        assertEquals(Integer.parseInt(meta.get("test_rows")), rows, "test rows");
        assertEquals(Integer.parseInt(meta.get("test_correct")), correct,
                "correct test rows: the interpreter's count differs from the trainer's (see the class comment)");
        double accuracy = correct / (double) rows;
        assertTrue(accuracy >= 0.95, "test accuracy " + accuracy);
        assertEquals(meta.get("test_accuracy"), String.format(java.util.Locale.ROOT, "%.4f", accuracy));
    }

    @Test
    void accuracyGraphComputesTheSameFraction() {
        Graph graph = Lathe.requireBound(Lathe.load(dir.resolve("digits.model"), LoadOptions.defaults().withGraph("accuracy")));
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("x", x);
        in.put("y", y);
        Tensor acc = Interpreter.run(graph, in).get("accuracy");
        assertEquals(0, acc.rank());
        assertEquals(DType.F32, acc.dtype());
        float expected = (float) (Integer.parseInt(meta.get("test_correct")) / (double) x.dim(0));
        assertEquals(expected, (float) acc.getDouble(0));
    }

    @Test
    void testFilesHoldTheDocumentedSplitAsRawPixels() throws IOException {
        DigitsData data = DigitsData.read(dir.resolve("data/digits.csv.gz"));
        int[] rows = data.testRows();
        assertEquals(DType.F32, x.dtype());
        assertEquals(DType.I64, y.dtype());
        assertArrayEquals(new long[] {rows.length, 64}, x.shape());
        assertArrayEquals(new long[] {rows.length}, y.shape());
        for (int k = 0; k < rows.length; k++) {
            assertEquals(data.labels()[rows[k]], y.getLong(k), "label of test row " + k);
            for (int i = 0; i < 64; i++) assertEquals(data.pixels()[rows[k]][i], x.getDouble(k * 64 + i), "pixel " + i + " of test row " + k);
        }
        assertEquals(1442, Integer.parseInt(meta.get("train_rows")));
    }
}
