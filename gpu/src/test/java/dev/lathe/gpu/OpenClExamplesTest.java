package dev.lathe.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.lower.Kernel;
import dev.lathe.lower.KernelProgram;
import dev.lathe.lower.Lowering;
import dev.lathe.runtime.Tensor;
import dev.lathe.testkit.TensorAssertions;
import dev.lathe.testkit.Tolerance;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OpenCL backend against the interpreter on the examples (DESIGN.md §4 tolerance). */
class OpenClExamplesTest {
    private static void agrees(String model, long batch) {
        agrees(model, batch, 5);
    }

    private static void agrees(String model, long batch, long seq) {
        agrees(model, OpenClTestSupport.load(model), batch, seq);
    }

    private static void agrees(String model, Graph graph, long batch, long seq) {
        OpenClDevice device = OpenClTestSupport.device();
        KernelProgram program = Lowering.lower(graph);
        try (OpenClModel m = new OpenClModel(program, device)) {
            for (long seed : new long[] {1, 2}) {
                Map<String, Tensor> in = OpenClTestSupport.randomBatch(graph, batch, seq, seed);
                Map<String, Tensor> expected = Interpreter.run(graph, in);
                Map<String, Tensor> actual = m.run(in);
                List<String> diffs = TensorAssertions.differences(expected, actual, Tolerance.DEFAULT);
                assertTrue(diffs.isEmpty(), model + ": " + diffs);
                assertEquals(program.kernels().size() >= m.lastProfile().size(), true);
            }
        }
    }

    @Test
    void mlpAgreesWithTheInterpreter() {
        agrees("examples/mlp/mlp.model", 3);
        agrees("examples/mlp/mlp.model", 17);
    }

    @Test
    void encoderAgreesWithTheInterpreter() {
        // fan-in scaled matrices: with [-0.5, 0.5) ones the JVM backend's f32 GEMMs miss the tolerance too
        String model = "examples/encoder/tiny_encoder.model";
        Graph graph = OpenClTestSupport.load(model, true);
        for (long batch : new long[] {1, 2}) {
            for (long seq : new long[] {8, 16}) agrees(model, graph, batch, seq);
        }
    }

    @Test
    void cnnAgreesWithTheInterpreter() {
        String model = "examples/cnn/small_cnn.model";
        assertTrue(Lowering.lower(OpenClTestSupport.load(model)).kernels().stream().anyMatch(k -> k instanceof Kernel.Conv), "the cnn lowers to conv kernels");
        agrees(model, 1);
        agrees(model, 3);
    }

    @Test
    void aBadDeviceIndexIsAClearError() {
        OpenClTestSupport.device();
        OpenClException e = assertThrows(OpenClException.class, () -> OpenClDevice.open(999));
        assertTrue(e.getMessage().startsWith("no OpenCL device 999"), e.getMessage());
    }
}
