package dev.lathe.gpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.api.PassStatementText;
import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.lower.Kernel;
import dev.lathe.lower.KernelProgram;
import dev.lathe.lower.Lowering;
import dev.lathe.pass.PassPipeline;
import dev.lathe.pass.PassPlanner;
import dev.lathe.pass.PassStatement;
import dev.lathe.runtime.Tensor;
import dev.lathe.testkit.TensorAssertions;
import dev.lathe.testkit.Tolerance;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The mlp example quantized (QuantGemm: int8/int4, weight-only and dynamic activations) and sparsified
 * (SparseGemm: CSR from unstructured and N:M, BSR from blocks) on OpenCL against the interpreter.
 */
class OpenClQuantSparseTest {
    /** The mlp (seeded weights, fan-in scale) after one pass statement. */
    static Graph rewritten(String statement) {
        Graph mlp = OpenClTestSupport.load("examples/mlp/mlp.model", true);
        PassStatement s = PassStatementText.parse(statement, "test", PassStatement.Origin.COMMAND_LINE);
        return PassPipeline.standard().run(mlp, PassPlanner.plan(List.of(s), mlp, Map.of())).graph();
    }

    static void agrees(String statement, Class<? extends Kernel> kernel) {
        Graph g = rewritten(statement);
        KernelProgram program = Lowering.lower(g);
        assertTrue(program.kernels().stream().anyMatch(kernel::isInstance), statement + " lowers to " + kernel.getSimpleName());
        try (OpenClModel m = new OpenClModel(program, OpenClTestSupport.device())) {
            for (long batch : new long[] {1, 5}) {
                Map<String, Tensor> in = OpenClTestSupport.randomBatch(g, batch, 1, 40 + batch);
                List<String> diffs = TensorAssertions.differences(Interpreter.run(g, in), m.run(in), Tolerance.DEFAULT);
                assertTrue(diffs.isEmpty(), statement + " batch " + batch + ": " + diffs);
            }
        }
    }

    /** A linear layer [5, 6] x [3, 6]ᵀ: channel groups of 6 inputs take the scalar (not vload) path. */
    static Graph narrowLinear(String statement) throws dev.lathe.ir.OpTypeException {
        dev.lathe.ir.GraphBuilder b = new dev.lathe.ir.GraphBuilder("narrow");
        dev.lathe.ir.Value x = b.input("x", dev.lathe.ir.TensorType.of(dev.lathe.runtime.DType.F32, 5, 6), dev.lathe.ir.Provenance.NONE);
        dev.lathe.ir.Value w = b.param("w", dev.lathe.ir.TensorType.of(dev.lathe.runtime.DType.F32, 3, 6), dev.lathe.ir.Provenance.NONE);
        dev.lathe.ir.Value y = b.op("linear", java.util.Arrays.asList(x, w, null), Map.of(), dev.lathe.ir.Provenance.NONE).getFirst();
        float[] wv = new float[18];
        for (int i = 0; i < wv.length; i++) wv[i] = (float) Math.sin(i * 1.7) * 0.8f;
        Graph g = b.build(List.of(y), List.of("y")).withParamData(Map.of("w", Tensor.ofFloats(new long[] {3, 6}, wv)));
        PassStatement s = PassStatementText.parse(statement, "test", PassStatement.Origin.COMMAND_LINE);
        return PassPipeline.standard().run(g, PassPlanner.plan(List.of(s), g, Map.of())).graph();
    }

    @ParameterizedTest
    @ValueSource(strings = {"quantize(bits = 8) on \"w\"", "quantize(bits = 4, symmetric = false) on \"w\"", "quantize(bits = 4) on \"w\""})
    void narrowGroupsTakeTheScalarPath(String statement) throws dev.lathe.ir.OpTypeException {
        Graph g = narrowLinear(statement);
        KernelProgram program = Lowering.lower(g);
        assertTrue(program.kernels().stream().anyMatch(Kernel.QuantGemm.class::isInstance), statement + " lowers to QuantGemm:\n" + dev.lathe.lower.KernelPrinter.print(program));
        try (OpenClModel m = new OpenClModel(program, OpenClTestSupport.device())) {
            Map<String, Tensor> in = OpenClTestSupport.randomBatch(g, 5, 1, 3);
            List<String> diffs = TensorAssertions.differences(Interpreter.run(g, in), m.run(in), Tolerance.DEFAULT);
            assertTrue(diffs.isEmpty(), statement + ": " + diffs);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "quantize(bits = 8) on \"fc*.weight\"",
            "quantize(bits = 8, symmetric = false) on \"fc*.weight\"",
            "quantize(bits = 4, granularity = \"group\", group = 32) on \"fc*.weight\"",
            "quantize(bits = 4, granularity = \"group\", group = 32, symmetric = false) on \"fc*.weight\"",
            "quantize(bits = 8, granularity = \"tensor\") on \"fc*.weight\"",
            "quantize(bits = 8, activations = \"dynamic\") on \"fc*.weight\"",
            "quantize(bits = 4, granularity = \"group\", group = 32, activations = \"dynamic\") on \"fc*.weight\"",
            "quantize(bits = 8, symmetric = false, activations = \"dynamic\") on \"fc*.weight\""})
    void quantizedMlpAgreesWithTheInterpreter(String statement) {
        agrees(statement, Kernel.QuantGemm.class);
    }

    /** The lowering's cost model may pick the dense GEMM for a layer; the sparse kernel is forced so that it is what runs. */
    @ParameterizedTest
    @ValueSource(strings = {
            "sparsify() on \"fc*.weight\"",
            "sparsify(pattern = \"2:4\") on \"fc*.weight\"",
            "sparsify(pattern = \"1:8\") on \"fc1.weight\"",
            "sparsify(block = [4, 4], sparsity = 0.5) on \"fc*.weight\"",
            "sparsify(block = [2, 8], sparsity = 0.6) on \"fc1.weight\"",
            "sparsify(block = [8, 1], sparsity = 0.3) on \"fc*.weight\""})
    void sparsifiedMlpAgreesWithTheInterpreter(String statement) {
        String before = System.getProperty("lathe.sparse");
        System.setProperty("lathe.sparse", "sparse");
        try {
            agrees(statement, Kernel.SparseGemm.class);
            // the mlp's ReLUs fuse into the sparse layers that precede them
            assertTrue(Lowering.lower(rewritten(statement)).kernels().stream().anyMatch(k -> k instanceof Kernel.SparseGemm g && g.activation().equals("RELU")),
                    statement + ": a ReLU fused into a sparse layer");
        } finally {
            if (before == null) System.clearProperty("lathe.sparse");
            else System.setProperty("lathe.sparse", before);
        }
    }
}
