package dev.lathe.tornado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.api.Lathe;
import dev.lathe.api.LoadOptions;
import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.lower.KernelProgram;
import dev.lathe.lower.LowerOptions;
import dev.lathe.lower.Lowering;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.io.Npy;
import dev.lathe.testkit.TensorAssertions;
import dev.lathe.testkit.Tolerance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every example model emitted, compiled against the TornadoVM API on the class path, run, and compared with the interpreter (DESIGN.md §4). */
class TornadoExamplesTest {
    @TempDir Path dir;

    private void agrees(Graph graph, Map<String, Long> dims, Map<String, Tensor> inputs, LowerOptions options, String what) throws Exception {
        Map<String, Tensor> expected = Interpreter.run(graph, inputs);
        KernelProgram program = Lowering.lower(graph, options);
        Path d = Files.createTempDirectory(dir, "m");
        try (EmittedModel model = EmittedModel.build(program, dims, d)) {
            Map<String, Tensor> actual = model.run(inputs);
            assertEquals(expected.keySet(), actual.keySet(), what);
            List<String> diffs = TensorAssertions.differences(expected, actual, Tolerance.DEFAULT);
            assertTrue(diffs.isEmpty(), what + ": " + diffs);
            // a second call on the same plan: inputs travel every execution, weights stay on the device
            Map<String, Tensor> again = model.run(inputs);
            assertTrue(TensorAssertions.differences(actual, again, Tolerance.EXACT).isEmpty(), what + ": second run differs");
        }
    }

    @Test
    void mlpAgreesWithTheInterpreter() throws Exception {
        Graph g = ExampleModels.load("examples/mlp/mlp.model", false);
        for (long b : new long[] {1, 3}) {
            agrees(g, Map.of("B", b), ExampleModels.randomInputs(g, Map.of("B", b), -2, 2, b), LowerOptions.defaults(), "mlp B=" + b);
        }
    }

    @Test
    void mlpAsLoopNestsAgrees() throws Exception {
        Graph g = ExampleModels.load("examples/mlp/mlp.model", false);
        agrees(g, Map.of("B", 2L), ExampleModels.randomInputs(g, Map.of("B", 2L), -2, 2, 5), LowerOptions.defaults().withRuntimeKernels(false), "mlp loops");
    }

    @Test
    void cnnAgreesWithTheInterpreter() throws Exception {
        Graph g = ExampleModels.load("examples/cnn/small_cnn.model", false);
        agrees(g, Map.of("B", 2L), ExampleModels.randomInputs(g, Map.of("B", 2L), -1, 1, 7), LowerOptions.defaults(), "cnn B=2");
    }

    @Test
    void encoderAgreesWithTheInterpreter() throws Exception {
        Graph g = ExampleModels.load("examples/encoder/tiny_encoder.model", true);
        Map<String, Long> dims = Map.of("B", 2L, "S", 8L);
        agrees(g, dims, ExampleModels.randomInputs(g, dims, -2, 2, 11), LowerOptions.defaults(), "encoder B=2 S=8");
    }

    /** The trained digits model: its generated weights and test split when the examples module has run, else seeded weights. */
    @Test
    void digitsAgreesWithTheInterpreter() throws Exception {
        Path folder = ExampleModels.root().resolve("examples/digits");
        Graph g;
        Map<String, Tensor> in;
        if (Files.exists(folder.resolve("digits.safetensors")) && Files.exists(folder.resolve("test_x.npy"))) {
            g = Lathe.requireBound(Lathe.load(folder.resolve("digits.model"), LoadOptions.defaults()));
            Tensor x = Npy.read(folder.resolve("test_x.npy"));
            long rows = Math.min(64, x.dim(0));
            float[] v = new float[(int) (rows * 64)];
            for (int i = 0; i < v.length; i++) v[i] = (float) x.getDouble(i);
            in = Map.of("x", Tensor.ofFloats(new long[] {rows, 64}, v));
            agrees(g, Map.of("B", rows), in, LowerOptions.defaults(), "digits (trained weights)");
        } else {
            g = ExampleModels.load("examples/digits/digits.model", false);
            agrees(g, Map.of("B", 5L), ExampleModels.randomInputs(g, Map.of("B", 5L), 0, 16, 13), LowerOptions.defaults(), "digits (seeded weights)");
        }
    }

    @Test
    void inputsOfOtherShapesAreRejected() throws Exception {
        Graph g = ExampleModels.load("examples/mlp/mlp.model", false);
        try (EmittedModel model = EmittedModel.build(Lowering.lower(g, LowerOptions.defaults()), Map.of("B", 2L), dir)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.run(ExampleModels.randomInputs(g, Map.of("B", 3L), -1, 1, 1)));
            assertTrue(e.getMessage().contains("must have shape [2, 784]"), e.getMessage());
        }
    }
}
