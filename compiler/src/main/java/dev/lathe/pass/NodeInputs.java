package dev.lathe.pass;

import dev.lathe.ir.Node;
import dev.lathe.ir.Value;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Rebuilds a node with some of its inputs replaced, for rewrites that redirect uses of a value
 * to another of the same type. The switch is exhaustive over {@link Node}: a new op does not
 * compile until it says where its inputs are.
 */
public final class NodeInputs {
    private NodeInputs() {}

    /** {@code node} with every input that is a key of {@code replacements} replaced by its value; the same node when none is. */
    public static Node substitute(Node node, Map<Value, Value> replacements) {
        if (replacements.isEmpty() || node.inputs().stream().noneMatch(replacements::containsKey)) return node;
        UnaryOperator<Value> f = v -> v == null ? null : replacements.getOrDefault(v, v);
        return switch (node) {
            case Node.Unary n -> new Node.Unary(n.kind(), f.apply(n.x()), n.out(), n.provenance());
            case Node.Gelu n -> new Node.Gelu(f.apply(n.x()), n.tanhApproximation(), n.out(), n.provenance());
            case Node.LeakyRelu n -> new Node.LeakyRelu(f.apply(n.x()), n.alpha(), n.out(), n.provenance());
            case Node.Clip n -> new Node.Clip(f.apply(n.x()), n.min(), n.max(), n.out(), n.provenance());
            case Node.Binary n -> new Node.Binary(n.kind(), f.apply(n.a()), f.apply(n.b()), n.out(), n.provenance());
            case Node.Compare n -> new Node.Compare(n.kind(), f.apply(n.a()), f.apply(n.b()), n.out(), n.provenance());
            case Node.Where n -> new Node.Where(f.apply(n.cond()), f.apply(n.a()), f.apply(n.b()), n.out(), n.provenance());
            case Node.MatMul n -> new Node.MatMul(f.apply(n.a()), f.apply(n.b()), n.out(), n.provenance());
            case Node.Linear n -> new Node.Linear(f.apply(n.x()), f.apply(n.w()), f.apply(n.b()), n.out(), n.provenance());
            case Node.LowRankLinear n -> new Node.LowRankLinear(f.apply(n.x()), f.apply(n.a()), f.apply(n.b()), f.apply(n.bias()), n.out(),
                    n.provenance());
            case Node.QuantizedLinear n -> new Node.QuantizedLinear(f.apply(n.x()), f.apply(n.q()), f.apply(n.scales()), f.apply(n.zeros()),
                    f.apply(n.bias()), n.bits(), n.granularity(), n.group(), n.out(), n.provenance(), n.dynamicActivations());
            case Node.SparseLinear n -> new Node.SparseLinear(f.apply(n.x()), n.format(), f.apply(n.values()), f.apply(n.indices()),
                    f.apply(n.pointers()), f.apply(n.bias()), n.out(), n.provenance());
            case Node.Reduce n -> new Node.Reduce(n.kind(), f.apply(n.x()), n.axes(), n.keepdims(), n.out(), n.provenance());
            case Node.ArgMax n -> new Node.ArgMax(f.apply(n.x()), n.axis(), n.keepdims(), n.out(), n.provenance());
            case Node.Softmax n -> new Node.Softmax(f.apply(n.x()), n.axis(), n.log(), n.out(), n.provenance());
            case Node.LayerNorm n -> new Node.LayerNorm(f.apply(n.x()), f.apply(n.w()), f.apply(n.b()), n.axis(), n.eps(), n.out(), n.provenance());
            case Node.RmsNorm n -> new Node.RmsNorm(f.apply(n.x()), f.apply(n.w()), n.eps(), n.out(), n.provenance());
            case Node.BatchNorm n -> new Node.BatchNorm(f.apply(n.x()), f.apply(n.scale()), f.apply(n.bias()), f.apply(n.mean()), f.apply(n.var()),
                    n.eps(), n.out(), n.provenance());
            case Node.Reshape n -> new Node.Reshape(f.apply(n.x()), n.shape(), n.out(), n.provenance());
            case Node.Transpose n -> new Node.Transpose(f.apply(n.x()), n.perm(), n.out(), n.provenance());
            case Node.Flatten n -> new Node.Flatten(f.apply(n.x()), n.axis(), n.out(), n.provenance());
            case Node.Concat n -> new Node.Concat(n.xs().stream().map(f).toList(), n.axis(), n.out(), n.provenance());
            case Node.Split n -> new Node.Split(f.apply(n.x()), n.sizes(), n.axis(), n.outs(), n.provenance());
            case Node.Slice n -> new Node.Slice(f.apply(n.x()), n.axis(), n.start(), n.end(), n.step(), n.out(), n.provenance());
            case Node.Squeeze n -> new Node.Squeeze(f.apply(n.x()), n.axes(), n.out(), n.provenance());
            case Node.Unsqueeze n -> new Node.Unsqueeze(f.apply(n.x()), n.axes(), n.out(), n.provenance());
            case Node.Gather n -> new Node.Gather(f.apply(n.x()), f.apply(n.idx()), n.axis(), n.out(), n.provenance());
            case Node.Embedding n -> new Node.Embedding(f.apply(n.idx()), f.apply(n.table()), n.out(), n.provenance());
            case Node.Cast n -> new Node.Cast(f.apply(n.x()), n.dtype(), n.out(), n.provenance());
            case Node.Conv2d n -> new Node.Conv2d(f.apply(n.x()), f.apply(n.w()), f.apply(n.b()), n.stride(), n.pads(), n.dilation(), n.groups(),
                    n.out(), n.provenance());
            case Node.Pool2d n -> new Node.Pool2d(n.kind(), f.apply(n.x()), n.kernel(), n.stride(), n.pads(), n.out(), n.provenance());
            case Node.GlobalAvgPool n -> new Node.GlobalAvgPool(f.apply(n.x()), n.out(), n.provenance());
            case Node.Attention n -> new Node.Attention(f.apply(n.q()), f.apply(n.k()), f.apply(n.v()), f.apply(n.mask()), n.heads(), n.causal(),
                    n.scale(), n.out(), n.provenance());
            case Node.LinearAttention n -> new Node.LinearAttention(f.apply(n.q()), f.apply(n.k()), f.apply(n.v()), n.heads(), n.method(), n.size(),
                    n.seed(), n.causal(), n.scale(), n.out(), n.provenance());
            case Node.Constant n -> n;
        };
    }
}
