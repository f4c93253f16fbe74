package dev.lathe.interp;

import dev.lathe.ir.Dim;
import dev.lathe.ir.Node;
import dev.lathe.ir.Value;
import dev.lathe.runtime.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Evaluates one Graph IR node with the reference ops. The switch is exhaustive over the sealed
 * {@link Node}: a new op record does not compile until it has a reference meaning here.
 */
final class NodeEvaluator {
    private NodeEvaluator() {}

    /**
     * The node's results, in the order of {@link Node#outputs()}.
     *
     * @param value the tensor of each input value
     * @param dims the run-time value of every named dim, for symbolic attributes
     */
    static List<Tensor> evaluate(Node node, Function<Value, Tensor> value, Map<String, Long> dims) {
        return switch (node) {
            case Node.Split s -> ShapeOps.split(value.apply(s.x()), evaluate("split", s.sizes(), dims), s.axis());
            default -> List.of(single(node, value, dims));
        };
    }

    private static Tensor single(Node node, Function<Value, Tensor> value, Map<String, Long> dims) {
        return switch (node) {
            case Node.Unary u -> unary(u.kind(), value.apply(u.x()));
            case Node.Gelu g -> ElementwiseOps.gelu(value.apply(g.x()), g.tanhApproximation() ? "tanh" : "erf");
            case Node.LeakyRelu l -> ElementwiseOps.leakyRelu(value.apply(l.x()), l.alpha());
            case Node.Clip c -> ElementwiseOps.clip(value.apply(c.x()), c.min(), c.max());
            case Node.Binary b -> binary(b.kind(), value.apply(b.a()), value.apply(b.b()));
            case Node.Compare c -> switch (c.kind()) {
                case EQUAL -> ElementwiseOps.equal(value.apply(c.a()), value.apply(c.b()));
                case LESS -> ElementwiseOps.less(value.apply(c.a()), value.apply(c.b()));
                case GREATER -> ElementwiseOps.greater(value.apply(c.a()), value.apply(c.b()));
            };
            case Node.Where w -> ElementwiseOps.where(value.apply(w.cond()), value.apply(w.a()), value.apply(w.b()));
            case Node.MatMul m -> LinalgOps.matmul(value.apply(m.a()), value.apply(m.b()));
            case Node.Linear l -> LinalgOps.linear(value.apply(l.x()), value.apply(l.w()), optional(l.b(), value));
            case Node.LowRankLinear l -> LinalgOps.lowRankLinear(value.apply(l.x()), value.apply(l.a()), value.apply(l.b()), optional(l.bias(), value));
            case Node.QuantizedLinear l -> QuantOps.quantizedLinear(value.apply(l.x()), value.apply(l.q()), value.apply(l.scales()),
                    optional(l.zeros(), value), optional(l.bias(), value), l.granularity(), l.group(), l.dynamicActivations());
            case Node.SparseLinear l -> SparseOps.sparseLinear(value.apply(l.x()), l.format(), value.apply(l.values()), value.apply(l.indices()),
                    optional(l.pointers(), value), optional(l.bias(), value));
            case Node.Reduce r -> reduce(r, value.apply(r.x()));
            case Node.ArgMax a -> ReductionOps.argmax(value.apply(a.x()), a.axis(), a.keepdims());
            case Node.Softmax s -> s.log() ? SoftmaxOps.logSoftmax(value.apply(s.x()), s.axis()) : SoftmaxOps.softmax(value.apply(s.x()), s.axis());
            case Node.LayerNorm l -> NormalizationOps.layerNorm(value.apply(l.x()), value.apply(l.w()), optional(l.b(), value), l.axis(), l.eps());
            case Node.RmsNorm r -> NormalizationOps.rmsNorm(value.apply(r.x()), value.apply(r.w()), r.eps());
            case Node.BatchNorm b -> NormalizationOps.batchNorm(value.apply(b.x()), value.apply(b.scale()), value.apply(b.bias()),
                    value.apply(b.mean()), value.apply(b.var()), b.eps());
            case Node.Reshape r -> ShapeOps.reshape(value.apply(r.x()), evaluate("reshape", r.shape(), dims));
            case Node.Transpose t -> ShapeOps.transpose(value.apply(t.x()), ints(t.perm()));
            case Node.Flatten f -> ShapeOps.flatten(value.apply(f.x()), f.axis());
            case Node.Concat c -> ShapeOps.concat(c.xs().stream().map(value).toList(), c.axis());
            case Node.Slice s -> ShapeOps.slice(value.apply(s.x()), s.axis(), evaluate("slice", s.start(), dims), evaluate("slice", s.end(), dims), s.step());
            // The node lists the dims to remove; an empty list removes none (never "all dims of 1" at run time).
            case Node.Squeeze s -> s.axes().isEmpty() ? value.apply(s.x()) : ShapeOps.squeeze(value.apply(s.x()), ints(s.axes()));
            case Node.Unsqueeze u -> ShapeOps.unsqueeze(value.apply(u.x()), ints(u.axes()));
            case Node.Gather g -> ShapeOps.gather(value.apply(g.x()), value.apply(g.idx()), g.axis());
            case Node.Embedding e -> ShapeOps.embedding(value.apply(e.idx()), value.apply(e.table()));
            case Node.Cast c -> ShapeOps.cast(value.apply(c.x()), c.dtype());
            case Node.Conv2d c -> ConvOps.conv2d(value.apply(c.x()), value.apply(c.w()), optional(c.b(), value), ints(c.stride()), ints(c.pads()),
                    ints(c.dilation()), c.groups());
            case Node.Pool2d p -> switch (p.kind()) {
                case MAX -> ConvOps.maxPool2d(value.apply(p.x()), ints(p.kernel()), ints(p.stride()), ints(p.pads()));
                case AVG -> ConvOps.avgPool2d(value.apply(p.x()), ints(p.kernel()), ints(p.stride()), ints(p.pads()));
            };
            case Node.GlobalAvgPool g -> ConvOps.globalAvgPool(value.apply(g.x()));
            case Node.Attention a -> attention(a, value);
            case Node.LinearAttention a -> linearAttention(a, value);
            case Node.Constant c -> c.value();
            case Node.Split s -> throw new AssertionError("split has several results");
        };
    }

    private static Tensor unary(Node.UnaryKind kind, Tensor x) {
        return switch (kind) {
            case NEG -> ElementwiseOps.neg(x);
            case ABS -> ElementwiseOps.abs(x);
            case EXP -> ElementwiseOps.exp(x);
            case LOG -> ElementwiseOps.log(x);
            case SQRT -> ElementwiseOps.sqrt(x);
            case RSQRT -> ElementwiseOps.rsqrt(x);
            case ERF -> ElementwiseOps.erf(x);
            case TANH -> ElementwiseOps.tanh(x);
            case SIGMOID -> ElementwiseOps.sigmoid(x);
            case RELU -> ElementwiseOps.relu(x);
            case SILU -> ElementwiseOps.silu(x);
            case SOFTPLUS -> ElementwiseOps.softplus(x);
        };
    }

    private static Tensor binary(Node.BinaryKind kind, Tensor a, Tensor b) {
        return switch (kind) {
            case ADD -> ElementwiseOps.add(a, b);
            case SUB -> ElementwiseOps.sub(a, b);
            case MUL -> ElementwiseOps.mul(a, b);
            case DIV -> ElementwiseOps.div(a, b);
            case POW -> ElementwiseOps.pow(a, b);
            case MAX -> ElementwiseOps.max(a, b);
            case MIN -> ElementwiseOps.min(a, b);
        };
    }

    /** The node stores "all dims" as every axis, so an empty list (possible only at rank 0) reduces nothing. */
    private static Tensor reduce(Node.Reduce r, Tensor x) {
        if (r.axes().isEmpty()) return x;
        int[] axes = ints(r.axes());
        return switch (r.kind()) {
            case SUM -> ReductionOps.sum(x, axes, r.keepdims());
            case MEAN -> ReductionOps.mean(x, axes, r.keepdims());
            case MAX -> ReductionOps.max(x, axes, r.keepdims());
            case MIN -> ReductionOps.min(x, axes, r.keepdims());
        };
    }

    private static Tensor attention(Node.Attention a, Function<Value, Tensor> value) {
        Tensor q = value.apply(a.q());
        // The default scale may depend on a run-time D; the op checks that heads divides it.
        long headDim = q.rank() == 3 ? q.dim(2) / a.heads() : 1;
        return AttentionOps.attention(q, value.apply(a.k()), value.apply(a.v()), a.heads(), optional(a.mask(), value), a.causal(),
                a.scaleFor(headDim));
    }

    private static Tensor linearAttention(Node.LinearAttention a, Function<Value, Tensor> value) {
        Tensor q = value.apply(a.q());
        long headDim = q.rank() == 3 ? q.dim(2) / a.heads() : 1;
        return LinearAttentionOps.attention(q, value.apply(a.k()), value.apply(a.v()), a.heads(), a.method(), a.size(), a.seed(), a.causal(),
                a.scaleFor(headDim));
    }

    private static Tensor optional(Value v, Function<Value, Tensor> value) {
        return v == null ? null : value.apply(v);
    }

    private static int[] ints(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    private static long[] evaluate(String op, List<Dim> ds, Map<String, Long> dims) {
        long[] out = new long[ds.size()];
        for (int i = 0; i < out.length; i++) out[i] = evaluate(op, ds.get(i), dims);
        return out;
    }

    /** A symbolic attribute's run-time value; an exact division that does not divide fails the op. */
    static long evaluate(String op, Dim d, Map<String, Long> dims) {
        try {
            return d.evaluate(dims);
        } catch (ArithmeticException e) {
            throw new InterpreterException(op + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(op + ": " + e.getMessage() + " at run time (IR invariant V6 broken)", e);
        }
    }
}
