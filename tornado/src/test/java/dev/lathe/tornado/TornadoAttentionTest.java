package dev.lathe.tornado;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphBuilder;
import dev.lathe.ir.Provenance;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.lower.Kernel;
import dev.lathe.lower.KernelProgram;
import dev.lathe.lower.LowerOptions;
import dev.lathe.lower.Lowering;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.testkit.TensorAssertions;
import dev.lathe.testkit.Tolerance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The attention kernel (online softmax per batch, head and query row) with and without masks, causal or not, against the interpreter. */
class TornadoAttentionTest {
    private static final Provenance P = Provenance.NONE;

    @TempDir Path dir;

    /** mask: 0 none, 1 bool [sq, sk], 2 additive f32 [sq, sk]. */
    private void agrees(int b, int sq, int sk, int heads, int dh, boolean causal, int mask) throws Exception {
        GraphBuilder g = new GraphBuilder("attn");
        Value q = g.input("q", TensorType.of(DType.F32, b, sq, heads * dh), P);
        Value k = g.input("k", TensorType.of(DType.F32, b, sk, heads * dh), P);
        Value v = g.input("v", TensorType.of(DType.F32, b, sk, heads * dh), P);
        Value m = mask == 0 ? null : g.input("m", TensorType.of(mask == 1 ? DType.BOOL : DType.F32, sq, sk), P);
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("heads", heads);
        attrs.put("causal", causal);
        Graph graph = g.build(g.op("attention", Arrays.asList(q, k, v, m), attrs, P), List.of("out"));
        SplittableRandom r = new SplittableRandom(sq * 31L + sk + mask);
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (var gi : graph.inputs()) {
            long[] shape = gi.value().type().staticShape();
            int n = Math.toIntExact(Tensor.checkedSize(shape));
            if (gi.value().type().dtype() == DType.BOOL) {
                boolean[] bv = new boolean[n];
                for (int i = 0; i < n; i++) bv[i] = r.nextInt(4) != 0 && i % sk != 1; // some rows lose keys, column 1 always hidden
                in.put(gi.name(), Tensor.ofBooleans(shape, bv));
            } else {
                float[] fv = new float[n];
                for (int i = 0; i < n; i++) fv[i] = gi.name().equals("m") && r.nextInt(5) == 0 ? Float.NEGATIVE_INFINITY : (float) r.nextDouble(-2, 2);
                in.put(gi.name(), Tensor.ofFloats(shape, fv));
            }
        }
        KernelProgram p = Lowering.lower(graph, LowerOptions.defaults());
        assertTrue(p.kernels().stream().anyMatch(x -> x instanceof Kernel.Attention), "lowers to the attention kernel");
        try (EmittedModel model = EmittedModel.build(p, Map.of(), Files.createTempDirectory(dir, "a"))) {
            List<String> diffs = TensorAssertions.differences(Interpreter.run(graph, in), model.run(in), Tolerance.DEFAULT);
            assertTrue(diffs.isEmpty(), "b=" + b + " sq=" + sq + " sk=" + sk + " heads=" + heads + " dh=" + dh + " causal=" + causal + " mask=" + mask + ": " + diffs);
        }
    }

    @Test
    void unmaskedAndCausalWithEveryQueryKeyRatio() throws Exception {
        for (boolean causal : new boolean[] {false, true}) {
            agrees(2, 5, 5, 2, 4, causal, 0);
            agrees(1, 3, 7, 3, 8, causal, 0);
            agrees(2, 7, 3, 1, 16, causal, 0); // causal with sq > sk: early rows see no key and give zeros
        }
    }

    @Test
    void boolAndAdditiveMasks() throws Exception {
        for (int mask : new int[] {1, 2}) {
            agrees(2, 4, 6, 2, 4, false, mask);
            agrees(1, 6, 6, 2, 8, true, mask);
        }
    }
}
