package dev.lathe.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.api.Lathe;
import dev.lathe.api.LoadOptions;
import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.io.Npy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reference interpreter reproduces, on every example with its build-generated weights, the
 * outputs that tests/fixtures/generate_expected.py computed independently with numpy, within the
 * DESIGN.md §4 tolerance (abs 1e-5 + rel 1e-4 per element).
 */
class ExampleFixturesTest {
    static Stream<Arguments> examples() {
        return Stream.of(
                Arguments.of("mlp", "examples/mlp/mlp.model", "logits"),
                Arguments.of("small_cnn", "examples/cnn/small_cnn.model", "logits"),
                Arguments.of("tiny_encoder", "examples/encoder/tiny_encoder.model", "output"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void interpreterMatchesTheIndependentFixture(String name, String model, String output) throws IOException {
        Path root = RepoFiles.root();
        Path fixtures = root.resolve("tests/src/test/resources/fixtures").resolve(name);
        Graph graph = Lathe.requireBound(Lathe.load(root.resolve(model), LoadOptions.defaults()));
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        inputs.put("x", Npy.read(fixtures.resolve("input_x.npy")));
        Tensor actual = Interpreter.run(graph, inputs).get(output);
        Tensor expected = Npy.read(fixtures.resolve("expected_" + output + ".npy"));
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.getDouble(i), a = actual.getDouble(i);
            assertTrue(Math.abs(a - e) <= 1e-5 + 1e-4 * Math.abs(e), name + " element " + i + ": expected " + e + ", got " + a);
        }
    }
}
