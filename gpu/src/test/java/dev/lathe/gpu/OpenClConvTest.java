package dev.lathe.gpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphBuilder;
import dev.lathe.ir.OpTypeException;
import dev.lathe.ir.Provenance;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.lower.Kernel;
import dev.lathe.lower.KernelProgram;
import dev.lathe.lower.Lowering;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.testkit.TensorAssertions;
import dev.lathe.testkit.Tolerance;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The direct conv2d kernel (float8/float4 over output channels, or one channel per work-item) against the interpreter. */
class OpenClConvTest {
    private static final Provenance P = Provenance.NONE;

    /** One conv2d (x, weight and bias as inputs), optionally followed by an activation the lowering fuses into it. */
    private static Graph graph(int n, int cin, int h, int w, int cout, int kh, int kw, int[] stride, int[] pads, int[] dilation, int groups, boolean bias,
                               String act) throws OpTypeException {
        GraphBuilder g = new GraphBuilder("conv");
        Value x = g.input("x", TensorType.of(DType.F32, n, cin, h, w), P);
        Value wt = g.input("w", TensorType.of(DType.F32, cout, cin / groups, kh, kw), P);
        Value b = bias ? g.input("b", TensorType.of(DType.F32, cout), P) : null;
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("stride", list(stride));
        attrs.put("padding", list(pads));
        attrs.put("dilation", list(dilation));
        attrs.put("groups", groups);
        Value y = g.op("conv2d", Arrays.asList(x, wt, b), attrs, P).getFirst();
        if (act != null) y = g.op(act, List.of(y), Map.of(), P).getFirst();
        return g.build(List.of(y), List.of("out"));
    }

    private static List<Integer> list(int[] v) {
        return Arrays.stream(v).boxed().toList();
    }

    private static void agrees(String what, Graph graph) {
        OpenClDevice device = OpenClTestSupport.device();
        KernelProgram program = Lowering.lower(graph);
        assertTrue(program.kernels().stream().anyMatch(k -> k instanceof Kernel.Conv), what + ": lowers to the conv kernel");
        try (OpenClModel m = new OpenClModel(program, device)) {
            for (long seed : new long[] {1, 2}) {
                SplittableRandom r = new SplittableRandom(seed);
                Map<String, Tensor> in = new LinkedHashMap<>();
                for (var gi : graph.inputs()) {
                    long[] shape = gi.value().type().staticShape();
                    float[] v = new float[Math.toIntExact(Tensor.checkedSize(shape))];
                    for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble(-1, 1);
                    in.put(gi.name(), Tensor.ofFloats(shape, v));
                }
                List<String> diffs = TensorAssertions.differences(Interpreter.run(graph, in), m.run(in), Tolerance.DEFAULT);
                assertTrue(diffs.isEmpty(), what + ": " + diffs);
            }
        }
    }

    private static int[] two(int v) {
        return ints(v, v);
    }

    private static int[] ints(int... v) {
        return v;
    }

    @Test
    void plainConvolutionsAgree() throws OpTypeException {
        // 8 output channels: float8 blocks; 3x3 same padding with bias and ReLU
        agrees("3x3 same relu", graph(2, 3, 9, 7, 8, 3, 3, two(1), ints(1, 1, 1, 1), two(1), 1, true, "relu"));
        // 12 output channels: float4 blocks; 1x1, no bias
        agrees("1x1", graph(1, 5, 4, 6, 12, 1, 1, two(1), ints(0, 0, 0, 0), two(1), 1, false, null));
        // 5 output channels: one per work-item; tanh epilogue
        agrees("5 channels tanh", graph(2, 2, 6, 6, 5, 3, 2, two(1), ints(0, 0, 0, 0), two(1), 1, true, "tanh"));
    }

    @Test
    void strideAsymmetricPaddingAndDilationAgree() throws OpTypeException {
        agrees("stride 2", graph(2, 4, 11, 10, 16, 3, 3, two(2), ints(1, 1, 1, 1), two(1), 1, true, null));
        agrees("stride (2, 1), pads (2, 0, 1, 3)", graph(1, 3, 8, 9, 8, 3, 4, ints(2, 1), ints(2, 0, 1, 3), two(1), 1, true, "silu"));
        agrees("dilation 2", graph(2, 2, 12, 12, 4, 3, 3, two(1), ints(2, 2, 2, 2), two(2), 1, false, "sigmoid"));
        agrees("dilation (1, 3) stride 3", graph(1, 2, 10, 13, 4, 2, 3, two(3), ints(0, 1, 0, 1), ints(1, 3), 1, true, null));
    }

    @Test
    void groupedAndDepthwiseConvolutionsAgree() throws OpTypeException {
        agrees("groups 2, 8 per group", graph(2, 6, 7, 7, 16, 3, 3, two(1), ints(1, 1, 1, 1), two(1), 2, true, "relu"));
        agrees("groups 3, 4 per group", graph(1, 6, 5, 5, 12, 3, 3, two(1), ints(1, 1, 1, 1), two(1), 3, false, null));
        agrees("groups 2, 3 per group", graph(1, 4, 5, 5, 6, 2, 2, two(1), ints(0, 0, 0, 0), two(1), 2, true, null));
        agrees("depthwise 3x3 stride 2", graph(2, 8, 9, 9, 8, 3, 3, two(2), ints(1, 1, 1, 1), two(1), 8, true, "relu"));
        agrees("depthwise multiplier 2", graph(1, 4, 6, 6, 8, 3, 3, two(1), ints(1, 1, 1, 1), two(1), 4, false, null));
    }
}
