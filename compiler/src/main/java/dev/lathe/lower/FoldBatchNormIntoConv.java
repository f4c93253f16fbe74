package dev.lathe.lower;

import dev.lathe.ir.Graph;
import dev.lathe.ir.Node;
import dev.lathe.ir.Param;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds an inference batch norm into the convolution that feeds it, as ONNX Runtime and PyTorch's
 * fuser do, so the backend runs one conv (with its bias, and any following activation in the
 * conv's epilogue) instead of a conv and a per-element normalization loop:
 * <pre>
 *   y = batch_norm(conv2d(x, w, b), scale, shift, mean, var, eps = e)
 *   // becomes, with s = scale / sqrt(var + e) per output channel o:
 *   y = conv2d(x, w * s[o], (b - mean) * s + shift)
 * </pre>
 * It fires only on f32 convs whose output nothing else reads and whose weight, bias and norm
 * statistics are bound params; the folded weight and bias are new params ({@code <weight>.bn_folded},
 * {@code <bias or weight>.bn_folded_bias}) computed in double and rounded once to f32, so the result
 * equals the two ops up to float rounding (within DESIGN.md §4's tolerance, not bit for bit; the
 * lowering's exact loop-nest mode therefore does not run it).
 */
final class FoldBatchNormIntoConv {
    private FoldBatchNormIntoConv() {}

    static Graph run(Graph graph) {
        Map<Integer, Integer> uses = new HashMap<>();
        for (Node n : graph.nodes()) for (Value v : n.inputs()) uses.merge(v.id(), 1, Integer::sum);
        for (var o : graph.outputs()) uses.merge(o.value().id(), 1, Integer::sum);
        Map<Integer, Param> params = new HashMap<>();
        for (Param p : graph.params()) params.put(p.value().id(), p);
        Map<Integer, Node.Conv2d> producers = new HashMap<>();
        for (Node n : graph.nodes()) if (n instanceof Node.Conv2d c) producers.put(c.out().id(), c);

        int nextId = 1 + graph.nodes().stream().flatMap(n -> n.outputs().stream()).mapToInt(Value::id).max().orElse(0);
        for (Param p : graph.params()) nextId = Math.max(nextId, p.value().id() + 1);
        for (var in : graph.inputs()) nextId = Math.max(nextId, in.value().id() + 1);

        List<Param> newParams = new ArrayList<>(graph.params());
        Map<Node, Node> replaced = new HashMap<>();
        Set<Node> dropped = new HashSet<>();
        for (Node n : graph.nodes()) {
            if (!(n instanceof Node.BatchNorm bn)) continue;
            Node.Conv2d conv = producers.get(bn.x().id());
            if (conv == null || uses.getOrDefault(conv.out().id(), 0) != 1 || conv.out().type().dtype() != DType.F32) continue;
            Param w = params.get(conv.w().id());
            Param b = conv.b() == null ? null : params.get(conv.b().id());
            Param scale = params.get(bn.scale().id()), shift = params.get(bn.bias().id());
            Param mean = params.get(bn.mean().id()), var = params.get(bn.var().id());
            if (w == null || (conv.b() != null && b == null) || scale == null || shift == null || mean == null || var == null) continue;
            if (!w.isBound() || (b != null && !b.isBound()) || !scale.isBound() || !shift.isBound() || !mean.isBound() || !var.isBound()) continue;

            long[] ws = w.type().staticShape(); // w: [O, C / groups, KH, KW]
            int out = (int) ws[0];
            int perChannel = (int) (Tensor.checkedSize(ws) / out);
            double[] wv = w.data().toDoubleArray();
            float[] folded = new float[wv.length];
            float[] bias = new float[out];
            for (int o = 0; o < out; o++) {
                double s = scale.data().getDouble(o) / Math.sqrt(var.data().getDouble(o) + bn.eps());
                for (int i = 0; i < perChannel; i++) folded[o * perChannel + i] = (float) (wv[o * perChannel + i] * s);
                double b0 = b == null ? 0 : b.data().getDouble(o);
                bias[o] = (float) ((b0 - mean.data().getDouble(o)) * s + shift.data().getDouble(o));
            }
            Value fw = new Value(nextId++, w.type(), w.path() + ".bn_folded");
            Value fb = new Value(nextId++, TensorType.of(DType.F32, out), w.path() + ".bn_folded_bias");
            newParams.add(new Param(fw.hint(), fw, w.provenance(), Tensor.ofFloats(ws, folded)));
            newParams.add(new Param(fb.hint(), fb, bn.provenance(), Tensor.ofFloats(new long[] {out}, bias)));
            replaced.put(conv, new Node.Conv2d(conv.x(), fw, fb, conv.stride(), conv.pads(), conv.dilation(), conv.groups(), bn.out(),
                    conv.provenance()));
            dropped.add(bn);
        }
        if (replaced.isEmpty()) return graph;
        List<Node> nodes = new ArrayList<>();
        for (Node n : graph.nodes()) {
            if (dropped.contains(n)) continue;
            nodes.add(replaced.getOrDefault(n, n));
        }
        // The unfolded weights and statistics are not shipped when nothing else reads them.
        Set<Integer> read = new HashSet<>();
        for (Node n : nodes) for (Value v : n.inputs()) read.add(v.id());
        Set<Integer> folded = new HashSet<>();
        for (Node n : replaced.keySet()) for (Value v : n.inputs()) folded.add(v.id());
        for (Node n : dropped) for (Value v : n.inputs()) folded.add(v.id());
        newParams.removeIf(p -> folded.contains(p.value().id()) && !read.contains(p.value().id()));
        return new Graph(graph.name(), graph.inputs(), newParams, nodes, graph.outputs(), graph.dims());
    }
}
