package dev.lathe.tests.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.api.Lathe;
import dev.lathe.api.LoadOptions;
import dev.lathe.api.LoadedModel;
import dev.lathe.api.PassStatementText;
import dev.lathe.backend.jvm.JvmCompiler;
import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.lower.LowerOptions;
import dev.lathe.pass.PassPipeline;
import dev.lathe.pass.PassStatement;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.io.Npy;
import dev.lathe.runtime.io.SafetensorsFile;
import dev.lathe.runtime.io.TensorInfo;
import dev.lathe.runtime.model.CompiledModel;
import dev.lathe.runtime.model.RunOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The trained digits example quantized (int8 per channel, int4 groups of 32 with f16 scales, each
 * weight-only and with dynamic int8 activations, and DGQ A8W4 groups of 32, symmetric and asymmetric)
 * through the JVM backend's integer kernels: the compiled model agrees with
 * the interpreter on the whole test split, its weights file holds the packed integers (smaller than
 * the f32 model's by the expected factor), the model loaded back from those files gives the same
 * logits, and the quantized model still classifies the test split well.
 */
class JvmQuantizedDigitsTest {
    private static final Path DIR = JvmTestSupport.root().resolve("examples/digits");

    private static Graph quantized(String statement) {
        PassStatement s = PassStatementText.parse(statement, "test", PassStatement.Origin.COMMAND_LINE);
        LoadedModel m = Lathe.load(DIR.resolve("digits.model"), LoadOptions.defaults().withExtraPasses(List.of(s)));
        return PassPipeline.standard().run(Lathe.requireBound(m), m.plan()).graph();
    }

    private static int correct(Tensor logits, Tensor labels) {
        int n = 0;
        for (int r = 0; r < labels.size(); r++) {
            int best = 0;
            for (int c = 1; c < 10; c++) if (logits.getDouble(r * 10 + c) > logits.getDouble(r * 10 + best)) best = c;
            if (best == labels.getLong(r)) n++;
        }
        return n;
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "quantize(bits = 8) on \"fc*.weight\"; 3.5",
            "quantize(bits = 4, granularity = \"group\", group = 32) on \"fc*.weight\"; 5",
            "quantize(bits = 8, activations = \"dynamic\") on \"fc*.weight\"; 3.5",
            "quantize(bits = 4, granularity = \"group\", group = 32, activations = \"dynamic\") on \"fc*.weight\"; 5",
            "quantize(bits = 8, symmetric = false, activations = \"dynamic\") on \"fc*.weight\"; 3.3",
            "quantize(scheme = \"dgq\", group = 32) on \"fc*.weight\"; 5",
            "quantize(scheme = \"dgq\", group = 32, symmetric = false) on \"fc*.weight\"; 4.5"})
    void compiledQuantizedDigitsAgreesWithTheInterpreter(String statement, double minShrink, @TempDir Path out) throws IOException {
        Graph g = quantized(statement);
        Tensor x = Npy.read(DIR.resolve("test_x.npy"));
        Tensor y = Npy.read(DIR.resolve("test_y.npy"));
        Map<String, Tensor> in = Map.of("x", x);
        Map<String, Tensor> expected = Interpreter.run(g, in);
        Map<String, Tensor> actual = JvmCompiler.compile(g, "QuantDigits", LowerOptions.defaults(), RunOptions.defaults()).run(in);
        JvmTestSupport.assertClose(expected, actual, statement);

        JvmCompiler.Written written = JvmCompiler.write(g, "QuantDigits", LowerOptions.defaults(), out.resolve("q"));
        JvmCompiler.Written f32 = JvmCompiler.write(Lathe.requireBound(Lathe.load(DIR.resolve("digits.model"), LoadOptions.defaults())), "F32Digits", LowerOptions.defaults(), out.resolve("f"));
        long qBytes = Files.size(written.weights()), fBytes = Files.size(f32.weights());
        assertTrue(fBytes >= minShrink * qBytes, statement + ": weights file " + qBytes + " bytes vs f32 " + fBytes);
        assertStoredAsQuantized(written.weights(), statement);
        Map<String, Tensor> reloaded = CompiledModel.load(written.descriptor(), RunOptions.defaults()).run(in);
        JvmTestSupport.assertClose(actual, reloaded, statement + " (loaded from files)");

        int right = correct(actual.get("logits"), y);
        System.out.printf("digits %s: %d/%d correct (%.4f), weights %d bytes (f32 %d)%n", statement, right, y.size(), right / (double) y.size(), qBytes, fBytes);
        assertTrue(right >= 0.95 * y.size(), statement + ": " + right + " of " + y.size());
    }

    /**
     * DGQ with activation clipping (calibration inputs and a percentile): the clip params and their
     * min/max nodes compile with the DGQ layers, and the compiled model agrees with the interpreter.
     */
    @org.junit.jupiter.api.Test
    void compiledDgqWithActivationClippingAgreesWithTheInterpreter() throws IOException {
        String statement = "quantize(scheme = \"dgq\", group = 32, percentile = 99.0) on \"fc*.weight\"";
        Tensor x = Npy.read(DIR.resolve("test_x.npy"));
        PassStatement s = PassStatementText.parse(statement, "test", PassStatement.Origin.COMMAND_LINE);
        LoadedModel m = Lathe.load(DIR.resolve("digits.model"), LoadOptions.defaults().withExtraPasses(List.of(s)));
        Graph g = PassPipeline.standard().run(Lathe.requireBound(m), m.plan(), List.of(Map.of("x", x))).graph();
        assertTrue(g.params().stream().anyMatch(p -> p.path().equals("fc1.weight.clip_high")), "clipping was applied");
        Map<String, Tensor> in = Map.of("x", x);
        Map<String, Tensor> actual = JvmCompiler.compile(g, "ClippedDgqDigits", LowerOptions.defaults(), RunOptions.defaults()).run(in);
        JvmTestSupport.assertClose(Interpreter.run(g, in), actual, statement);
        int right = correct(actual.get("logits"), Npy.read(DIR.resolve("test_y.npy")));
        System.out.printf("digits %s with calibration: %d/355 correct%n", statement, right);
    }

    /**
     * What the weights file holds for fc1 ([128, 64]): the packed integers (u8 [128, 64 or 32]), the
     * scales as stored (f16 for rtn groups, f32 per channel otherwise and for DGQ), DGQ's u8 group
     * scales, asymmetric zero points as u8; never the float weight.
     */
    private static void assertStoredAsQuantized(Path weights, String statement) throws IOException {
        boolean dgq = statement.contains("dgq"), group = statement.contains("group"), four = dgq || statement.contains("bits = 4");
        try (SafetensorsFile f = SafetensorsFile.open(weights)) {
            assertTrue(!f.contains("fc1.weight"), statement + ": the f32 weight is in the file: " + f.keys());
            TensorInfo q = f.info("fc1.weight.q.packed");
            assertEquals(DType.U8, q.dtype(), statement);
            assertArrayEquals(new long[] {128, four ? 32 : 64}, q.shape(), statement);
            TensorInfo scales = f.info("fc1.weight.scales");
            assertEquals(group && !dgq ? DType.F16 : DType.F32, scales.dtype(), statement);
            assertEquals(scales.elementCount() * scales.dtype().storageBytes(), scales.length(), statement);
            if (dgq) {
                TensorInfo gs = f.info("fc1.weight.group_scales");
                assertEquals(DType.U8, gs.dtype(), statement);
                assertArrayEquals(new long[] {128, 2}, gs.shape(), statement);
                assertArrayEquals(new long[] {128, 1}, scales.shape(), statement);
            }
            if (statement.contains("symmetric = false")) assertEquals(DType.U8, f.info(f.keys().stream().filter(k -> k.startsWith("fc1.weight.zeros"))
                    .findFirst().orElseThrow()).dtype(), statement);
        }
    }
}
