package dev.lathe.tornado;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.lower.LowerOptions;
import dev.lathe.lower.Lowering;
import dev.lathe.runtime.Tensor;
import dev.lathe.testkit.TensorAssertions;
import dev.lathe.testkit.Tolerance;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device tests: only under {@code -Ptornado} (the tag is excluded otherwise), where the class path holds
 * the real TornadoVM jars and the JVM runs with the SDK's argument file. They first make sure the stand-in
 * is not what runs, then run the mlp and the encoder through TornadoVM's JIT on its default device.
 * Not run on our build machines (no TornadoVM there).
 */
@Tag("tornado-device")
class TornadoDeviceTest {
    @TempDir Path dir;

    @Test
    void theRealTornadoVmIsOnTheClassPath() throws ClassNotFoundException {
        Class<?> arrays = Class.forName("uk.ac.manchester.tornado.api.types.arrays.TornadoNativeArray");
        assertThrows(NoSuchMethodException.class, () -> arrays.getMethod("newZeroedLike"),
                "the stand-in's TornadoNativeArray is on the class path: run the device tests with -Ptornado and TORNADOVM_HOME set");
    }

    @Test
    void mlpAndEncoderAgreeWithTheInterpreterOnTheDevice() throws Exception {
        for (String model : List.of("examples/mlp/mlp.model", "examples/encoder/tiny_encoder.model")) {
            Graph g = ExampleModels.load(model, true);
            Map<String, Long> dims = Map.of("B", 2L, "S", 8L);
            Map<String, Tensor> in = ExampleModels.randomInputs(g, dims, -2, 2, 1);
            Map<String, Tensor> expected = Interpreter.run(g, in);
            var program = Lowering.lower(g, LowerOptions.defaults());
            try (EmittedModel m = EmittedModel.build(program, DimBinding.fromInputs(program, in), java.nio.file.Files.createTempDirectory(dir, "d"))) {
                List<String> diffs = TensorAssertions.differences(expected, m.run(in), Tolerance.DEFAULT);
                assertTrue(diffs.isEmpty(), model + ": " + diffs);
            }
        }
    }
}
