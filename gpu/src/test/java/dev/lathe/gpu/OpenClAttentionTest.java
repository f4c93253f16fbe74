package dev.lathe.gpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphBuilder;
import dev.lathe.ir.OpTypeException;
import dev.lathe.ir.Provenance;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.lower.KernelProgram;
import dev.lathe.lower.Lowering;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.testkit.TensorAssertions;
import dev.lathe.testkit.Tolerance;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The attention kernel (online softmax, one work-item per batch, head and query row) against the interpreter. */
class OpenClAttentionTest {
    private static final Provenance P = Provenance.NONE;

    /** q [b, sq, heads*dh], k and v [b, sk, heads*dh]; optionally a mask input of type {@code mask}. */
    private static Graph graph(int b, int sq, int sk, int heads, int dh, boolean causal, TensorType mask) throws OpTypeException {
        GraphBuilder g = new GraphBuilder("attn");
        Value q = g.input("q", TensorType.of(DType.F32, b, sq, heads * dh), P);
        Value k = g.input("k", TensorType.of(DType.F32, b, sk, heads * dh), P);
        Value v = g.input("v", TensorType.of(DType.F32, b, sk, heads * dh), P);
        Value m = mask != null ? g.input("m", mask, P) : null;
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("heads", heads);
        attrs.put("causal", causal);
        List<Value> out = g.op("attention", java.util.Arrays.asList(q, k, v, m), attrs, P);
        return g.build(out, List.of("out"));
    }

    private static Map<String, Tensor> inputs(Graph graph, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (var gi : graph.inputs()) {
            long[] shape = gi.value().type().staticShape();
            int size = Math.toIntExact(Tensor.checkedSize(shape));
            if (gi.value().type().dtype() == DType.BOOL) {
                // mostly true, so most rows see some key and a few see none
                boolean[] v = new boolean[size];
                for (int i = 0; i < size; i++) v[i] = r.nextDouble() < 0.6;
                in.put(gi.name(), Tensor.ofBooleans(shape, v));
                continue;
            }
            boolean mask = gi.name().equals("m");
            float[] v = new float[size];
            // an additive mask hides about a quarter of the keys with -inf
            for (int i = 0; i < size; i++) v[i] = mask && r.nextDouble() < 0.25 ? Float.NEGATIVE_INFINITY : (float) r.nextDouble(-2, 2);
            in.put(gi.name(), Tensor.ofFloats(shape, v));
        }
        return in;
    }

    private static void agrees(int b, int sq, int sk, int heads, int dh, boolean causal) throws OpTypeException {
        agrees(b, sq, sk, heads, dh, causal, null);
    }

    private static void agrees(int b, int sq, int sk, int heads, int dh, boolean causal, TensorType mask) throws OpTypeException {
        OpenClDevice device = OpenClTestSupport.device();
        Graph graph = graph(b, sq, sk, heads, dh, causal, mask);
        KernelProgram program = Lowering.lower(graph);
        assertTrue(program.kernels().stream().anyMatch(k -> k instanceof dev.lathe.lower.Kernel.Attention), "lowers to the attention kernel");
        try (OpenClModel m = new OpenClModel(program, device)) {
            for (long seed : new long[] {1, 2}) {
                Map<String, Tensor> in = inputs(graph, seed);
                List<String> diffs = TensorAssertions.differences(Interpreter.run(graph, in), m.run(in), Tolerance.DEFAULT);
                assertTrue(diffs.isEmpty(), "b " + b + " sq " + sq + " sk " + sk + " heads " + heads + " dh " + dh + " causal " + causal + " mask " + mask + ": " + diffs);
            }
        }
    }

    @Test
    void causalAttentionAgreesWithTheInterpreter() throws OpTypeException {
        agrees(2, 16, 16, 4, 8, true);
        agrees(1, 5, 9, 2, 3, true);   // sq < sk: query i sees keys 0..i + 4
        agrees(2, 9, 4, 3, 4, true);   // sq > sk: the first five rows see no key and give zeros
        agrees(3, 33, 33, 1, 64, true);
    }

    @Test
    void unmaskedAttentionAgreesWithTheInterpreter() throws OpTypeException {
        agrees(2, 7, 11, 4, 16, false);
        agrees(1, 1, 1, 1, 1, false);
        agrees(2, 8, 8, 2, 128, false);
    }

    /** Heads over 128 wide accumulate in the output row instead of private arrays. */
    @Test
    void wideHeadsAgreeWithTheInterpreter() throws OpTypeException {
        agrees(1, 6, 10, 1, 160, true);
        agrees(2, 4, 4, 2, 136, false);
    }

    /** Bool masks (true = attend) broadcast from [sk], [sq, sk], [b, 1, sq, sk] and [b, heads, sq, sk]; rows with no allowed key give zeros. */
    @Test
    void boolMasksAgreeWithTheInterpreter() throws OpTypeException {
        agrees(2, 5, 7, 2, 4, false, TensorType.of(DType.BOOL, 7));
        agrees(2, 6, 6, 2, 8, false, TensorType.of(DType.BOOL, 6, 6));
        agrees(2, 6, 6, 3, 4, true, TensorType.of(DType.BOOL, 2, 1, 6, 6));
        agrees(2, 4, 9, 2, 4, false, TensorType.of(DType.BOOL, 2, 2, 4, 9));
    }

    /** Additive f32 masks (about a quarter -inf) with the same broadcasts. */
    @Test
    void additiveMasksAgreeWithTheInterpreter() throws OpTypeException {
        agrees(2, 5, 7, 2, 4, false, TensorType.of(DType.F32, 7));
        agrees(1, 6, 6, 2, 8, true, TensorType.of(DType.F32, 6, 6));
        agrees(2, 4, 9, 2, 4, false, TensorType.of(DType.F32, 2, 1, 4, 9));
        agrees(2, 3, 5, 2, 160, false, TensorType.of(DType.F32, 2, 2, 3, 5));
    }
}
