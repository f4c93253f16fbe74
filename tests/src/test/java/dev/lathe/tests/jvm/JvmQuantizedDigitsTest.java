package dev.lathe.tests.jvm;

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
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.io.Npy;
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
 * The trained digits example quantized (int8 per channel, int4 groups of 32, each weight-only and with
 * dynamic int8 activations) through the JVM backend's integer kernels: the compiled model agrees with
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
            "quantize(bits = 8, symmetric = false, activations = \"dynamic\") on \"fc*.weight\"; 3.3"})
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
        Map<String, Tensor> reloaded = CompiledModel.load(written.descriptor(), RunOptions.defaults()).run(in);
        JvmTestSupport.assertClose(actual, reloaded, statement + " (loaded from files)");

        int right = correct(actual.get("logits"), y);
        System.out.printf("digits %s: %d/%d correct (%.4f), weights %d bytes (f32 %d)%n", statement, right, y.size(), right / (double) y.size(), qBytes, fBytes);
        assertTrue(right >= 0.95 * y.size(), statement + ": " + right + " of " + y.size());
    }
}
