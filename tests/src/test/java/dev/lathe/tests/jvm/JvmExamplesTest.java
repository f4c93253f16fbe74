package dev.lathe.tests.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.api.CompileOptions;
import dev.lathe.api.Lathe;
import dev.lathe.backend.jvm.ClassSink;
import dev.lathe.backend.jvm.JvmBackend;
import dev.lathe.backend.jvm.MethodSizes;
import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.lower.LowerOptions;
import dev.lathe.lower.Lowering;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.io.Npy;
import dev.lathe.runtime.model.CompiledModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example, with its build-generated weights, compiled by the JVM backend agrees with the
 * reference interpreter within DESIGN.md §4 (runtime kernels) or exactly (loop nests only), on the
 * numpy fixture's input and on a random batch; and its generated class verifies with
 * CheckClassAdapter, with every method far below HotSpot's 8,000-byte JIT limit.
 */
class JvmExamplesTest {
    static Stream<Arguments> examples() {
        return Stream.of(JvmTestSupport.EXAMPLES).map(e -> Arguments.of(e[0], e[1], e[2]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void compiledExampleAgreesWithTheInterpreter(String name, String model, String output) throws IOException {
        Graph graph = JvmTestSupport.load(model);
        Path fixtures = JvmTestSupport.root().resolve("tests/src/test/resources/fixtures").resolve(name);
        List<Map<String, Tensor>> feeds = List.of(Map.of("x", Npy.read(fixtures.resolve("input_x.npy"))), randomBatch(graph, 3));
        CompiledModel fast = Lathe.compile(graph, "Fast", CompileOptions.defaults());
        CompiledModel loops = Lathe.compile(graph, "Loops", CompileOptions.defaults().withLowering(LowerOptions.defaults().withRuntimeKernels(false)));
        for (Map<String, Tensor> in : feeds) {
            Map<String, Tensor> expected = Interpreter.run(graph, in);
            JvmTestSupport.assertClose(expected, fast.run(in), name + " (runtime kernels)");
            assertEquals(expected, loops.run(in), name + " (loop nests): bit for bit");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void generatedClassVerifiesAndItsMethodsAreSmall(String name, String model, String output) {
        Graph graph = JvmTestSupport.load(model);
        for (LowerOptions o : List.of(LowerOptions.defaults(), LowerOptions.defaults().withRuntimeKernels(false))) {
            ClassSink.Memory sink = new ClassSink.Memory();
            JvmBackend.generate(Lowering.lower(graph, o), "Checked", sink);
            assertEquals("", JvmTestSupport.verify(sink.bytes()), name);
            Map<String, Integer> sizes = MethodSizes.of(sink.bytes());
            sizes.forEach((method, size) -> assertTrue(size < 8000 / 2, name + ": " + method + " has " + size + " bytes of bytecode"));
        }
    }

    @org.junit.jupiter.api.Test
    void latheCompileTakesAModelFile() {
        CompiledModel model = Lathe.compile(JvmTestSupport.root().resolve("examples/mlp/mlp.model"), dev.lathe.api.LoadOptions.defaults(),
                CompileOptions.defaults().withThreads(2));
        Graph graph = JvmTestSupport.load("examples/mlp/mlp.model");
        Map<String, Tensor> in = randomBatch(graph, 5);
        model.warmup();
        JvmTestSupport.assertClose(Interpreter.run(graph, in), model.run(in), "Lathe.compile(mlp.model)");
        assertEquals(2, model.threads());
    }

    /** Inputs with the named dims at small values ({@code B = batch}, {@code S = 5}), floats uniform in [-2, 2). */
    static Map<String, Tensor> randomBatch(Graph graph, long batch) {
        SplittableRandom r = new SplittableRandom(11);
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (var gi : graph.inputs()) {
            long[] shape = gi.value().type().shape().stream().mapToLong(d -> d.evaluate(Map.of("B", batch, "S", 5L))).toArray();
            float[] v = new float[Math.toIntExact(Tensor.checkedSize(shape))];
            for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble(-2, 2);
            in.put(gi.name(), Tensor.ofFloats(shape, v));
        }
        return in;
    }
}
