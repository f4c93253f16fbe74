package dev.lathe.pass.sparsify;

import static dev.lathe.pass.TestGraph.B;
import static dev.lathe.pass.TestGraph.f32;
import static dev.lathe.pass.TestGraph.gaussian;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.backend.jvm.JvmCompiler;
import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Dim;
import dev.lathe.ir.Graph;
import dev.lathe.ir.Node;
import dev.lathe.ir.Value;
import dev.lathe.lower.LowerOptions;
import dev.lathe.lower.Lowering;
import dev.lathe.lower.UnsupportedOpException;
import dev.lathe.pass.Plans;
import dev.lathe.pass.TestGraph;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.model.RunOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JVM backend on the ops of issue 6: f32 sparse_linear agrees with the interpreter (for layers this small the cost model picks the GEMM over the
 * expanded weight), f32 linear_attention equals it; what it does not compile is an UnsupportedOpException,
 * never a wrong result.
 */
class SparseBackendTest {
    static Graph mlp() {
        return TestGraph.mlp(16, 8, 4);
    }

    @Test
    void sparseLinearCompiledAgreesWithTheInterpreter() {
        for (String statement : List.of("sparsify(pattern = \"2:4\") on \"fc1.weight\"", "sparsify(sparsity = 0.6) on \"fc*.weight\"")) {
            Graph g = Plans.run(mlp(), statement).graph();
            assertTrue(g.nodes().stream().anyMatch(n -> n instanceof Node.SparseLinear));
            Map<String, Tensor> in = Map.of("x", gaussian(5, 3, 16));
            Tensor want = Interpreter.run(g, in).get("y");
            Tensor got = JvmCompiler.compile(g, "Sparse", LowerOptions.defaults(), RunOptions.defaults()).run(in).get("y");
            for (int i = 0; i < want.size(); i++) {
                double x = want.getDouble(i), y = got.getDouble(i);
                assertTrue(Math.abs(x - y) <= 1e-5 + 1e-4 * Math.abs(x), statement + " [" + i + "]: " + y + ", expected " + x);
            }
        }
    }

    @Test
    void whatTheBackendDoesNotCompileIsUnsupported() {
        Graph sparse = Plans.run(mlp(), "sparsify(pattern = \"2:4\") on \"fc1.weight\"").graph();
        UnsupportedOpException loops = assertThrows(UnsupportedOpException.class,
                () -> Lowering.lower(sparse, LowerOptions.defaults().withRuntimeKernels(false)));
        assertTrue(loops.getMessage().contains("sparse_linear"), loops.getMessage());

        TestGraph t = new TestGraph();
        Value q = t.input("q", f32(B, 4, 8));
        Graph attention = t.build(t.op("attention", List.of(q, q, q), "heads", Dim.of(2)));
        Node.Attention a = (Node.Attention) attention.nodes().getFirst();
        Node.LinearAttention la = new Node.LinearAttention(a.q(), a.k(), a.v(), 2, Node.KernelMethod.ELU, 0, 0, false, a.scale(), a.out(),
                a.provenance());
        Graph kernelized = new Graph(attention.name(), attention.inputs(), attention.params(), List.of(la), attention.outputs(), attention.dims());
        UnsupportedOpException e = assertThrows(UnsupportedOpException.class,
                () -> Lowering.lower(kernelized, LowerOptions.defaults().withRuntimeKernels(false)));
        assertTrue(e.getMessage().contains("linear_attention"), e.getMessage());
        assertEquals(1, kernelized.nodes().size());
    }

    /** Compiled linear_attention runs the runtime's arithmetic, the interpreter's: equal bit for bit. */
    @Test
    void linearAttentionCompiledEqualsTheInterpreter() {
        for (Node.KernelMethod method : Node.KernelMethod.values()) {
            for (boolean causal : new boolean[] {false, true}) {
                if (method == Node.KernelMethod.NYSTROM && causal) continue;
                TestGraph t = new TestGraph();
                Value q = t.input("q", f32(B, 5, 8));
                Value k = t.input("k", f32(B, 5, 8));
                Value v = t.input("v", f32(B, 5, 8));
                Graph attention = t.build(t.op("attention", List.of(q, k, v), "heads", Dim.of(2), "causal", causal));
                Node.Attention a = (Node.Attention) attention.nodes().getFirst();
                int size = method == Node.KernelMethod.ELU ? 0 : 3;
                Node.LinearAttention la = new Node.LinearAttention(a.q(), a.k(), a.v(), 2, method, size, 7, causal, a.scale(), a.out(), a.provenance());
                Graph g = new Graph(attention.name(), attention.inputs(), attention.params(), List.of(la), attention.outputs(), attention.dims());
                Map<String, Tensor> in = Map.of("q", gaussian(1, 2, 5, 8), "k", gaussian(2, 2, 5, 8), "v", gaussian(3, 2, 5, 8));
                Tensor want = Interpreter.run(g, in).get("y");
                Tensor got = JvmCompiler.compile(g, "LinearAttention", LowerOptions.defaults(), RunOptions.defaults()).run(in).get("y");
                assertEquals(want, got, method + " causal " + causal);
            }
        }
    }
}
