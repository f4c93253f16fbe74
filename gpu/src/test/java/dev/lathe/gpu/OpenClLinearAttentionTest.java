package dev.lathe.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphBuilder;
import dev.lathe.ir.Node;
import dev.lathe.ir.OpTypeException;
import dev.lathe.ir.Provenance;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.lower.Kernel;
import dev.lathe.lower.KernelProgram;
import dev.lathe.lower.Lowering;
import dev.lathe.lower.UnsupportedOpException;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.testkit.TensorAssertions;
import dev.lathe.testkit.Tolerance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Linear attention (ELU+1, FAVOR+, window; causal or not) against the interpreter; Nystrom is refused. */
class OpenClLinearAttentionTest {
    private static final Provenance P = Provenance.NONE;

    /** q [b, sq, heads*dh], k [b, sk, heads*dh], v [b, sk, heads*dv] through linear_attention (the node the kernelize pass makes). */
    private static Graph graph(int b, int sq, int sk, int heads, int dh, int dv, Node.KernelMethod method, int size, boolean causal) throws OpTypeException {
        GraphBuilder g = new GraphBuilder("linear");
        Value q = g.input("q", TensorType.of(DType.F32, b, sq, heads * dh), P);
        Value k = g.input("k", TensorType.of(DType.F32, b, sk, heads * dh), P);
        Value v = g.input("v", TensorType.of(DType.F32, b, sk, heads * dv), P);
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("heads", heads);
        attrs.put("causal", causal);
        Graph attention = g.build(g.op("attention", List.of(q, k, v), attrs, P), List.of("out"));
        // replace the attention node by the linear attention the kernelize pass would make
        List<Node> nodes = new ArrayList<>();
        for (Node n : attention.nodes()) {
            nodes.add(n instanceof Node.Attention a
                    ? new Node.LinearAttention(a.q(), a.k(), a.v(), heads, method, size, 17, causal, Double.NaN, a.out(), P)
                    : n);
        }
        return new Graph(attention.name(), attention.inputs(), attention.params(), nodes, attention.outputs(), attention.dims());
    }

    private static Map<String, Tensor> inputs(Graph graph, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (var gi : graph.inputs()) {
            long[] shape = gi.value().type().staticShape();
            float[] v = new float[Math.toIntExact(Tensor.checkedSize(shape))];
            for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble(-2, 2);
            in.put(gi.name(), Tensor.ofFloats(shape, v));
        }
        return in;
    }

    private static void agrees(int b, int sq, int sk, int heads, int dh, int dv, Node.KernelMethod method, int size, boolean causal) throws OpTypeException {
        OpenClDevice device = OpenClTestSupport.device();
        Graph graph = graph(b, sq, sk, heads, dh, dv, method, size, causal);
        KernelProgram program = Lowering.lower(graph);
        assertTrue(program.kernels().stream().anyMatch(k -> k instanceof Kernel.LinearAttention), "lowers to the linear attention kernel");
        try (OpenClModel m = new OpenClModel(program, device)) {
            for (long seed : new long[] {1, 2}) {
                Map<String, Tensor> in = inputs(graph, seed);
                List<String> diffs = TensorAssertions.differences(Interpreter.run(graph, in), m.run(in), Tolerance.DEFAULT);
                assertTrue(diffs.isEmpty(), method + " b " + b + " sq " + sq + " sk " + sk + " heads " + heads + " dh " + dh + " dv " + dv + " size " + size
                        + " causal " + causal + ": " + diffs);
            }
        }
    }

    @Test
    void eluAgreesWithTheInterpreter() throws OpTypeException {
        agrees(2, 6, 6, 2, 4, 4, Node.KernelMethod.ELU, 0, false);
        agrees(2, 6, 6, 2, 4, 4, Node.KernelMethod.ELU, 0, true);
        agrees(1, 3, 7, 3, 5, 2, Node.KernelMethod.ELU, 0, true);   // sq < sk
        agrees(1, 7, 3, 1, 8, 8, Node.KernelMethod.ELU, 0, true);   // sq > sk: the first rows see no key and give zeros
    }

    @Test
    void favorAgreesWithTheInterpreter() throws OpTypeException {
        agrees(2, 6, 6, 2, 4, 4, Node.KernelMethod.FAVOR, 16, false);
        agrees(2, 6, 6, 2, 4, 4, Node.KernelMethod.FAVOR, 16, true);
        agrees(1, 5, 9, 2, 8, 3, Node.KernelMethod.FAVOR, 12, false); // features not a multiple of the head dim
    }

    @Test
    void windowAgreesWithTheInterpreter() throws OpTypeException {
        agrees(2, 8, 8, 2, 4, 4, Node.KernelMethod.WINDOW, 3, false);
        agrees(2, 8, 8, 2, 4, 4, Node.KernelMethod.WINDOW, 3, true);
        agrees(1, 4, 9, 1, 6, 5, Node.KernelMethod.WINDOW, 2, true);
    }

    @Test
    void nystromIsRefusedClearly() throws OpTypeException {
        OpenClDevice device = OpenClTestSupport.device();
        KernelProgram program = Lowering.lower(graph(1, 8, 8, 2, 4, 4, Node.KernelMethod.NYSTROM, 4, false));
        UnsupportedOpException e = assertThrows(UnsupportedOpException.class, () -> new OpenClModel(program, device).close());
        assertEquals("linear_attention", e.op());
        assertTrue(e.getMessage().contains("nystrom"), e.getMessage());
    }
}
