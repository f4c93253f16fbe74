package dev.lathe.ir;

import dev.lathe.diag.ErrorCode;
import dev.lathe.runtime.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns one primitive call of std/ops.model (name, inputs in signature order, attributes after
 * defaults) into a typed {@link Node}: reads and checks the attributes, resolves the source forms
 * (negative axes, reshape {@code -1}/{@code 0}, split parts, window lists of 1, 2 or 4 values,
 * the default attention scale) and runs the typing rule to make the output values.
 */
final class OpCalls {
    private OpCalls() {}

    static Node build(String op, List<Value> inputs, OpAttributes a, Provenance p, Function<TensorType, Value> fresh)
            throws OpTypeException {
        Inputs in = new Inputs(op, inputs);
        return switch (op) {
            case "add", "sub", "mul", "div", "pow" -> {
                a.allowOnly();
                in.count(2);
                var kind = Node.BinaryKind.valueOf(op.toUpperCase(Locale.ROOT));
                yield new Node.Binary(kind, in.req(0), in.req(1), fresh.apply(OpTyping.binary(kind, in.type(0), in.type(1))), p);
            }
            case "max", "min" -> minMax(op, in, a, p, fresh);
            case "neg", "abs", "exp", "log", "sqrt", "rsqrt", "erf", "tanh", "sigmoid", "relu", "silu", "softplus" -> {
                a.allowOnly();
                in.count(1);
                var kind = Node.UnaryKind.valueOf(op.toUpperCase(Locale.ROOT));
                yield new Node.Unary(kind, in.req(0), fresh.apply(OpTyping.unary(kind, in.type(0))), p);
            }
            case "gelu" -> {
                a.allowOnly("mode");
                in.count(1);
                String mode = a.string("mode", "erf");
                if (!mode.equals("erf") && !mode.equals("tanh")) throw a.error("mode must be \"erf\" or \"tanh\", got \"" + mode + "\"");
                yield new Node.Gelu(in.req(0), mode.equals("tanh"), fresh.apply(OpTyping.floatElementwise(op, in.type(0))), p);
            }
            case "leaky_relu" -> {
                a.allowOnly("alpha");
                in.count(1);
                yield new Node.LeakyRelu(in.req(0), a.real("alpha", 0.01), fresh.apply(OpTyping.floatElementwise(op, in.type(0))), p);
            }
            case "clip" -> {
                a.allowOnly("min", "max");
                in.count(1);
                Double min = a.optionalReal("min");
                Double max = a.optionalReal("max");
                yield new Node.Clip(in.req(0), min, max, fresh.apply(OpTyping.clip(in.type(0), min, max)), p);
            }
            case "where" -> {
                a.allowOnly();
                in.count(3);
                yield new Node.Where(in.req(0), in.req(1), in.req(2), fresh.apply(OpTyping.where(in.type(0), in.type(1), in.type(2))), p);
            }
            case "equal", "less", "greater" -> {
                a.allowOnly();
                in.count(2);
                var kind = Node.CompareKind.valueOf(op.toUpperCase(Locale.ROOT));
                yield new Node.Compare(kind, in.req(0), in.req(1), fresh.apply(OpTyping.compare(kind, in.type(0), in.type(1))), p);
            }
            case "matmul" -> {
                a.allowOnly();
                in.count(2);
                yield new Node.MatMul(in.req(0), in.req(1), fresh.apply(OpTyping.matmul(in.type(0), in.type(1))), p);
            }
            case "linear" -> {
                a.allowOnly();
                in.count(3);
                yield new Node.Linear(in.req(0), in.req(1), in.opt(2),
                        fresh.apply(OpTyping.linear(in.type(0), in.type(1), in.optType(2))), p);
            }
            case "sum", "mean" -> {
                a.allowOnly("axes", "keepdims");
                in.count(1);
                yield reduce(Node.ReduceKind.valueOf(op.toUpperCase(Locale.ROOT)), in.req(0), a, p, fresh);
            }
            case "argmax" -> {
                a.allowOnly("axes", "keepdims");
                in.count(1);
                List<Dim> axes = a.dims("axes", List.of(Dim.of(-1)));
                if (axes.size() != 1) throw a.error("takes exactly one axis, got " + OpTyping.dims(axes));
                int axis = OpTyping.normalizeAxis(op, axes.getFirst(), in.type(0).rank());
                boolean keep = a.bool("keepdims", false);
                yield new Node.ArgMax(in.req(0), axis, keep, fresh.apply(OpTyping.argmax(in.type(0), axis, keep)), p);
            }
            case "softmax", "log_softmax" -> {
                a.allowOnly("axis");
                in.count(1);
                int axis = OpTyping.normalizeAxis(op, a.has("axis") ? a.dim("axis") : Dim.of(-1), in.type(0).rank());
                yield new Node.Softmax(in.req(0), axis, op.equals("log_softmax"), fresh.apply(OpTyping.softmax(op, in.type(0), axis)), p);
            }
            case "layer_norm" -> {
                a.allowOnly("axis", "eps");
                in.count(3);
                int axis = OpTyping.normalizeAxis(op, a.has("axis") ? a.dim("axis") : Dim.of(-1), in.type(0).rank());
                yield new Node.LayerNorm(in.req(0), in.req(1), in.opt(2), axis, a.real("eps", 1e-5),
                        fresh.apply(OpTyping.layerNorm(in.type(0), in.type(1), in.optType(2), axis)), p);
            }
            case "rms_norm" -> {
                a.allowOnly("eps");
                in.count(2);
                yield new Node.RmsNorm(in.req(0), in.req(1), a.real("eps", 1e-6), fresh.apply(OpTyping.rmsNorm(in.type(0), in.type(1))), p);
            }
            case "batch_norm" -> {
                a.allowOnly("eps");
                in.count(5);
                yield new Node.BatchNorm(in.req(0), in.req(1), in.req(2), in.req(3), in.req(4), a.real("eps", 1e-5),
                        fresh.apply(OpTyping.batchNorm(in.type(0), in.type(1), in.type(2), in.type(3), in.type(4))), p);
            }
            case "reshape" -> {
                a.allowOnly("shape");
                in.count(1);
                List<Dim> target = OpTyping.resolveReshape(in.type(0), a.dims("shape"));
                yield new Node.Reshape(in.req(0), target, fresh.apply(OpTyping.reshape(in.type(0), target)), p);
            }
            case "transpose" -> {
                a.allowOnly("perm");
                in.count(1);
                int rank = in.type(0).rank();
                List<Integer> perm = new ArrayList<>();
                List<Dim> given = a.dims("perm", List.of());
                if (given.isEmpty()) {
                    for (int i = rank - 1; i >= 0; i--) perm.add(i);
                } else {
                    for (Dim d : given) perm.add(OpTyping.normalizeAxis(op, d, rank));
                }
                yield new Node.Transpose(in.req(0), perm, fresh.apply(OpTyping.transpose(in.type(0), perm)), p);
            }
            case "flatten" -> {
                a.allowOnly("axis");
                in.count(1);
                int rank = in.type(0).rank();
                // ONNX allows axis = rank (everything in the first dim), so the range is [-rank, rank].
                long given = a.has("axis") ? a.constant("axis") : 1;
                if (given < -rank || given > rank) {
                    throw new OpTypeException(ErrorCode.E0303, "flatten axis " + given + " is out of range for rank " + rank);
                }
                int axis = (int) (given < 0 ? given + rank : given);
                yield new Node.Flatten(in.req(0), axis, fresh.apply(OpTyping.flatten(in.type(0), axis)), p);
            }
            case "concat" -> {
                a.allowOnly("axis");
                List<Value> xs = in.all();
                if (xs.isEmpty()) throw a.error("needs at least one input");
                List<TensorType> types = xs.stream().map(Value::type).toList();
                int axis = OpTyping.normalizeAxis(op, a.dim("axis"), types.getFirst().rank());
                yield new Node.Concat(xs, axis, fresh.apply(OpTyping.concat(types, axis)), p);
            }
            case "split" -> split(in, a, p, fresh);
            case "slice" -> {
                a.allowOnly("axis", "start", "end", "step");
                in.count(1);
                int axis = OpTyping.normalizeAxis(op, a.dim("axis"), in.type(0).rank());
                long step = a.has("step") ? a.constant("step") : 1;
                Dim start = a.dim("start");
                Dim end = a.dim("end");
                yield new Node.Slice(in.req(0), axis, start, end, step, fresh.apply(OpTyping.slice(in.type(0), axis, start, end, step)), p);
            }
            case "squeeze" -> {
                a.allowOnly("axes");
                in.count(1);
                TensorType x = in.type(0);
                List<Integer> axes;
                if (a.dims("axes").isEmpty()) {
                    // ONNX Squeeze without axes removes every dim that is 1.
                    axes = new ArrayList<>();
                    for (int i = 0; i < x.rank(); i++) {
                        if (x.dim(i).equals(Dim.of(1))) axes.add(i);
                    }
                } else {
                    axes = OpTyping.normalizeAxes(op, a.dims("axes"), x.rank());
                }
                yield new Node.Squeeze(in.req(0), axes, fresh.apply(OpTyping.squeeze(x, axes)), p);
            }
            case "unsqueeze" -> {
                a.allowOnly("axes");
                in.count(1);
                List<Dim> given = a.dims("axes");
                List<Integer> axes = OpTyping.normalizeAxes(op, given, in.type(0).rank() + given.size());
                yield new Node.Unsqueeze(in.req(0), axes, fresh.apply(OpTyping.unsqueeze(in.type(0), axes)), p);
            }
            case "gather" -> {
                a.allowOnly("axis");
                in.count(2);
                int axis = OpTyping.normalizeAxis(op, a.has("axis") ? a.dim("axis") : Dim.of(0), in.type(0).rank());
                yield new Node.Gather(in.req(0), in.req(1), axis, fresh.apply(OpTyping.gather(in.type(0), in.type(1), axis)), p);
            }
            case "embedding" -> {
                a.allowOnly();
                in.count(2);
                yield new Node.Embedding(in.req(0), in.req(1), fresh.apply(OpTyping.embedding(in.type(0), in.type(1))), p);
            }
            case "cast" -> {
                a.allowOnly("dtype");
                in.count(1);
                String name = a.string("dtype", null);
                if (name == null) throw a.error("needs the attribute dtype");
                DType dtype = DType.fromSourceName(name).orElseThrow(() -> a.error("dtype \"" + name + "\" is not an element type"));
                yield new Node.Cast(in.req(0), dtype, fresh.apply(OpTyping.cast(in.type(0), dtype)), p);
            }
            case "conv2d" -> {
                a.allowOnly("stride", "padding", "dilation", "groups");
                in.count(3);
                List<Integer> stride = pair(a, "stride", List.of(1));
                List<Integer> pads = pads(a, List.of(0));
                List<Integer> dilation = pair(a, "dilation", List.of(1));
                int groups = a.intValue("groups", 1);
                yield new Node.Conv2d(in.req(0), in.req(1), in.opt(2), stride, pads, dilation, groups,
                        fresh.apply(OpTyping.conv2d(in.type(0), in.type(1), in.optType(2), stride, pads, dilation, groups)), p);
            }
            case "max_pool2d", "avg_pool2d" -> {
                a.allowOnly("kernel", "stride", "padding");
                in.count(1);
                var kind = op.equals("max_pool2d") ? Node.PoolKind.MAX : Node.PoolKind.AVG;
                List<Integer> kernel = pair(a, "kernel", null);
                List<Integer> stride = a.has("stride") && !a.ints("stride").isEmpty() ? pair(a, "stride", null) : kernel;
                List<Integer> pads = pads(a, List.of(0));
                yield new Node.Pool2d(kind, in.req(0), kernel, stride, pads, fresh.apply(OpTyping.pool2d(kind, in.type(0), kernel, stride, pads)), p);
            }
            case "global_avg_pool" -> {
                a.allowOnly();
                in.count(1);
                yield new Node.GlobalAvgPool(in.req(0), fresh.apply(OpTyping.globalAvgPool(in.type(0))), p);
            }
            case "attention" -> attention(in, a, p, fresh);
            default -> throw new IllegalArgumentException("unknown primitive op " + op);
        };
    }

    /** Two inputs: elementwise; one: a reduction like {@code sum}. */
    private static Node minMax(String op, Inputs in, OpAttributes a, Provenance p, Function<TensorType, Value> fresh) throws OpTypeException {
        a.allowOnly("axes", "keepdims");
        in.count(2);
        boolean max = op.equals("max");
        if (in.opt(1) == null) return reduce(max ? Node.ReduceKind.MAX : Node.ReduceKind.MIN, in.req(0), a, p, fresh);
        if (!a.dims("axes", List.of()).isEmpty() || a.bool("keepdims", false)) {
            throw a.error("with two inputs is elementwise and takes no axes or keepdims");
        }
        var kind = max ? Node.BinaryKind.MAX : Node.BinaryKind.MIN;
        return new Node.Binary(kind, in.req(0), in.req(1), fresh.apply(OpTyping.binary(kind, in.type(0), in.type(1))), p);
    }

    /** Empty axes reduce every dim; the node stores them explicitly. */
    private static Node reduce(Node.ReduceKind kind, Value x, OpAttributes a, Provenance p, Function<TensorType, Value> fresh)
            throws OpTypeException {
        List<Dim> given = a.dims("axes", List.of());
        List<Integer> axes;
        if (given.isEmpty()) {
            axes = new ArrayList<>();
            for (int i = 0; i < x.type().rank(); i++) axes.add(i);
        } else {
            axes = OpTyping.normalizeAxes(kind.opName(), given, x.type().rank());
        }
        boolean keep = a.bool("keepdims", false);
        return new Node.Reduce(kind, x, axes, keep, fresh.apply(OpTyping.reduce(kind, x.type(), axes, keep)), p);
    }

    private static Node split(Inputs in, OpAttributes a, Provenance p, Function<TensorType, Value> fresh) throws OpTypeException {
        a.allowOnly("parts", "sizes", "axis");
        in.count(1);
        TensorType x = in.type(0);
        int axis = OpTyping.normalizeAxis("split", a.has("axis") ? a.dim("axis") : Dim.of(0), x.rank());
        if (a.has("parts") == a.has("sizes")) throw a.error("needs exactly one of parts and sizes");
        List<Dim> sizes = a.has("parts") ? OpTyping.splitSizes(x, axis, a.constant("parts")) : a.dims("sizes");
        List<Value> outs = new ArrayList<>();
        for (TensorType t : OpTyping.split(x, sizes, axis)) outs.add(fresh.apply(t));
        return new Node.Split(in.req(0), sizes, axis, outs, p);
    }

    /** An absent scale is 1 / sqrt(D / heads), NaN (resolved at run time) when D is symbolic. */
    private static Node attention(Inputs in, OpAttributes a, Provenance p, Function<TensorType, Value> fresh) throws OpTypeException {
        a.allowOnly("heads", "causal", "scale");
        in.count(4);
        int heads = a.intValue("heads");
        TensorType type = OpTyping.attention(in.type(0), in.type(1), in.type(2), in.optType(3), heads);
        double scale;
        if (a.has("scale")) {
            scale = a.real("scale");
        } else {
            Dim headDim = OpTyping.headDim(in.type(0).dim(2), heads, in.type(0));
            scale = headDim.isConstant() ? 1.0 / Math.sqrt(headDim.constant().getAsLong()) : Double.NaN;
        }
        return new Node.Attention(in.req(0), in.req(1), in.req(2), in.opt(3), heads, a.bool("causal", false), scale, fresh.apply(type), p);
    }

    /** stride/dilation/kernel: one value for both dims or [h, w]. */
    private static List<Integer> pair(OpAttributes a, String name, List<Integer> fallback) throws OpTypeException {
        List<Integer> v = fallback == null ? a.ints(name) : a.ints(name, fallback);
        return switch (v.size()) {
            case 1 -> List.of(v.getFirst(), v.getFirst());
            case 2 -> v;
            default -> throw a.error(name + " must be an int or [h, w], got " + v);
        };
    }

    /** padding: one value, [h, w], or [top, left, bottom, right]. */
    private static List<Integer> pads(OpAttributes a, List<Integer> fallback) throws OpTypeException {
        List<Integer> v = a.ints("padding", fallback);
        return switch (v.size()) {
            case 1 -> List.of(v.getFirst(), v.getFirst(), v.getFirst(), v.getFirst());
            case 2 -> List.of(v.get(0), v.get(1), v.get(0), v.get(1));
            case 4 -> v;
            default -> throw a.error("padding must be an int, [h, w] or [top, left, bottom, right], got " + v);
        };
    }

    /** The call's inputs; arity problems are internal errors, since the elaborator matched the signature. */
    private record Inputs(String op, List<Value> values) {
        Inputs {
            values = new ArrayList<>(values);
        }

        void count(int max) {
            if (values.size() > max) throw new IllegalArgumentException(op + " takes at most " + max + " inputs, got " + values.size());
        }

        Value opt(int i) {
            return i < values.size() ? values.get(i) : null;
        }

        Value req(int i) {
            return Objects.requireNonNull(opt(i), () -> op + ": input " + i + " is missing");
        }

        TensorType type(int i) {
            return req(i).type();
        }

        TensorType optType(int i) {
            Value v = opt(i);
            return v == null ? null : v.type();
        }

        List<Value> all() {
            for (Value v : values) Objects.requireNonNull(v, () -> op + ": a variadic input is missing");
            return List.copyOf(values);
        }
    }
}
