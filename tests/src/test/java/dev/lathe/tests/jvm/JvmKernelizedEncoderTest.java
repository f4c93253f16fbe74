package dev.lathe.tests.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.api.CompileOptions;
import dev.lathe.api.Lathe;
import dev.lathe.api.LoadOptions;
import dev.lathe.api.LoadedModel;
import dev.lathe.api.PassStatementText;
import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.ir.Node;
import dev.lathe.pass.PassPipeline;
import dev.lathe.pass.PassPlanner;
import dev.lathe.pass.PassStatement;
import dev.lathe.runtime.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tiny encoder with both attentions kernelized, by each method, compiled by the JVM backend (the
 * f32 linear-attention kernels, on two threads) agrees with the interpreter (the double reference)
 * within DESIGN.md §4, at a sequence length that spans several kernel blocks.
 */
class JvmKernelizedEncoderTest {
    private static final String MODEL = "examples/encoder/tiny_encoder.model";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"method = \"favor\", features = 64", "method = \"favor\", features = 256", "method = \"elu\"",
                            "method = \"nystrom\", landmarks = 16", "method = \"window\", window = 24"})
    void kernelizedEncoderAgreesWithTheInterpreter(String arguments) {
        LoadedModel loaded = Lathe.load(JvmTestSupport.root().resolve(MODEL), LoadOptions.defaults());
        Graph graph = Lathe.requireBound(loaded);
        Map<String, String> kinds = new LinkedHashMap<>();
        loaded.elaborated().instances().forEach((path, info) -> kinds.put(path, info.callee()));
        PassStatement kernelize = PassStatementText.parse("kernelize(" + arguments + ") on \"**\"", "test", PassStatement.Origin.COMMAND_LINE);
        Graph kernelized = PassPipeline.standard().run(graph, PassPlanner.plan(List.of(kernelize), graph, kinds)).graph();
        assertEquals(2, kernelized.nodes().stream().filter(n -> n instanceof Node.LinearAttention).count(), "both attentions kernelized");

        int batch = 2, seq = 300, d = 256;
        SplittableRandom r = new SplittableRandom(7);
        float[] x = new float[batch * seq * d];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() * 4 - 2);
        Map<String, Tensor> in = Map.of("x", Tensor.ofFloats(new long[] {batch, seq, d}, x));
        Map<String, Tensor> expected = Interpreter.run(kernelized, in);
        Map<String, Tensor> actual = Lathe.compile(kernelized, "Kernelized", CompileOptions.defaults().withThreads(2)).run(in);
        JvmTestSupport.assertClose(expected, actual, "kernelize(" + arguments + ")");
    }
}
