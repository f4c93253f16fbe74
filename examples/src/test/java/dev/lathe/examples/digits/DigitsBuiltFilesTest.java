package dev.lathe.examples.digits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.api.Lathe;
import dev.lathe.api.LoadOptions;
import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.io.Npy;
import dev.lathe.runtime.io.SafetensorsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The files DigitsTrainer wrote during this build (process-classes, before the tests): the trained
 * weights are the pinned bits, and the trainer's f32 evaluation is the reference interpreter's.
 */
class DigitsBuiltFilesTest {
    static final Path DIR = Path.of("digits");
    static final List<String> KEYS = List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias");

    /**
     * SHA-256 over the f32 bits (big-endian) of the tensors in {@link #KEYS} order. Training is
     * specified bit for bit (DigitsMlp), so this is the same on every JVM and machine; when the
     * trainer or its settings change on purpose, put the new value here (the failure message has it).
     */
    static final String WEIGHTS_SHA256 = "f41acbc764044200fc9a1a83d1434c349db660e4151c91342a3c58717a2473e4";

    @Test
    void trainedWeightsAreThePinnedBits() throws IOException, NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (SafetensorsFile f = SafetensorsFile.open(DIR.resolve("digits.safetensors"))) {
            assertEquals(KEYS, f.keys().stream().sorted((a, b) -> KEYS.indexOf(a) - KEYS.indexOf(b)).toList());
            for (String k : KEYS) {
                float[] v = f.read(k).toFloatArray();
                ByteBuffer buf = ByteBuffer.allocate(4 * v.length);
                for (float x : v) buf.putInt(Float.floatToRawIntBits(x));
                sha.update(buf.array());
            }
        }
        assertEquals(WEIGHTS_SHA256, HexFormat.of().formatHex(sha.digest()), "digits.safetensors tensors digest");
    }

    @Test
    void trainersF32EvaluationIsTheInterpretersBitForBit() throws IOException {
        DigitsMlp.F32 model;
        Map<String, String> meta;
        try (SafetensorsFile f = SafetensorsFile.open(DIR.resolve("digits.safetensors"))) {
            float[][] w = new float[3][], b = new float[3][];
            for (int l = 0; l < 3; l++) {
                w[l] = f.read("fc" + (l + 1) + ".weight").toFloatArray();
                b[l] = f.read("fc" + (l + 1) + ".bias").toFloatArray();
            }
            model = new DigitsMlp.F32(new int[] {64, 128, 64, 10}, w, b);
            meta = f.metadata();
        }
        Tensor x = Npy.read(DIR.resolve("test_x.npy"));
        Tensor y = Npy.read(DIR.resolve("test_y.npy"));
        Graph graph = Lathe.requireBound(Lathe.load(DIR.resolve("digits.model"), LoadOptions.defaults()));
        Tensor logits = Interpreter.run(graph, Map.of("x", x)).get("logits");
        int rows = (int) x.dim(0);
        assertArrayEquals(new long[] {rows, 10}, logits.shape());
        float[] all = x.toFloatArray(), interp = logits.toFloatArray();
        int correct = 0;
        for (int r = 0; r < rows; r++) {
            float[] mine = model.logits(Arrays.copyOfRange(all, r * 64, r * 64 + 64));
            for (int c = 0; c < 10; c++) {
                assertEquals(Float.floatToRawIntBits(interp[r * 10 + c]), Float.floatToRawIntBits(mine[c]), "row " + r + " class " + c);
            }
            if (model.predict(Arrays.copyOfRange(all, r * 64, r * 64 + 64)) == y.getLong(r)) correct++;
        }
        assertEquals(meta.get("test_correct"), Integer.toString(correct));
    }
}
