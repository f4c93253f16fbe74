package dev.lathe.tests.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.api.CompileOptions;
import dev.lathe.api.Lathe;
import dev.lathe.api.LoadOptions;
import dev.lathe.api.LoadedModel;
import dev.lathe.api.PassStatementText;
import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.lower.Kernel;
import dev.lathe.lower.LowerOptions;
import dev.lathe.lower.Lowering;
import dev.lathe.pass.PassPipeline;
import dev.lathe.pass.PassStatement;
import dev.lathe.pass.PipelineResult;
import dev.lathe.pass.TargetReport;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.model.CompiledModel;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The MLP and digits examples sparsified (unstructured, 2:4, BSR) through the JVM backend agree with
 * the interpreter: with the cost model's choice per layer (which the report's {@code kernel} detail
 * states, and the lowered program follows) and with the sparse kernel forced for every layer.
 */
class JvmSparseExamplesTest {
    private static final List<String> PATTERNS = List.of("sparsify(sparsity = 0.9) on \"fc*.weight\"", "sparsify(pattern = \"2:4\") on \"fc*.weight\"",
            "sparsify(block = [4, 4], sparsity = 0.8) on \"fc1.weight\", \"fc2.weight\"", "sparsify(block = [2, 2], sparsity = 0.95) on \"fc1.weight\"");

    static Stream<Arguments> cases() {
        return Stream.of("examples/mlp/mlp.model", "examples/digits/digits.model").flatMap(m -> PATTERNS.stream().map(p -> Arguments.of(m, p)));
    }

    private static PipelineResult sparsified(String model, String statement) {
        PassStatement s = PassStatementText.parse(statement, "test", PassStatement.Origin.COMMAND_LINE);
        LoadedModel loaded = Lathe.load(JvmTestSupport.root().resolve(model), LoadOptions.defaults().withExtraPasses(List.of(s)));
        return PassPipeline.standard().run(Lathe.requireBound(loaded), loaded.plan());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void sparsifiedExampleAgreesWithTheInterpreter(String model, String statement) {
        PipelineResult r = sparsified(model, statement);
        Graph g = r.graph();
        long sparseKernels = Lowering.lower(g, LowerOptions.defaults()).kernels().stream().filter(k -> k instanceof Kernel.SparseGemm).count();
        long keptSparse = 0;
        for (TargetReport t : r.report().targets()) {
            String kernel = (String) t.details().get("kernel");
            assertTrue(kernel != null && (kernel.startsWith("sparse: ") || kernel.startsWith("kept dense: ") || kernel.startsWith("sparse below ")),
                    t.target() + ": " + kernel);
            if (!kernel.startsWith("kept dense")) keptSparse++;
        }
        // One sparse_linear per pruned weight; the lowering emits the sparse kernel exactly where the report says it runs.
        assertEquals(keptSparse, sparseKernels, r.report().targets().stream().map(t -> t.target() + ": " + t.details().get("kernel")).toList().toString());

        List<Map<String, Tensor>> feeds = List.of(JvmExamplesTest.randomBatch(g, 1), JvmExamplesTest.randomBatch(g, 3));
        CompiledModel chosen = Lathe.compile(g, "Chosen", CompileOptions.defaults());
        CompiledModel forced;
        System.setProperty("lathe.sparse", "sparse");
        try {
            assertEquals(r.report().targets().size(),
                    Lowering.lower(g, LowerOptions.defaults()).kernels().stream().filter(k -> k instanceof Kernel.SparseGemm).count());
            forced = Lathe.compile(g, "Forced", CompileOptions.defaults());
        } finally {
            System.clearProperty("lathe.sparse");
        }
        for (Map<String, Tensor> in : feeds) {
            Map<String, Tensor> expected = Interpreter.run(g, in);
            JvmTestSupport.assertClose(expected, chosen.run(in), model + " " + statement + " (cost model)");
            JvmTestSupport.assertClose(expected, forced.run(in), model + " " + statement + " (sparse kernel)");
        }
    }
}
