package dev.lathe.ir;

import dev.lathe.diag.SourceSpan;
import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The textual form of a graph, for humans ({@code lathe ir}) and for debugging; deterministic
 * for a given graph. Tests compare graphs structurally, never through this text.
 * <pre>
 * graph tiny
 *   dim B in 1..64
 *   input %0 x: f32[B, S, 256]  (tiny.model:3:12)
 *   param %1 blk.0.q.weight: f32[256, 256]  @ blk.0.q  (tiny.model:20:3)
 *   %7: f32[B, S, 256] = linear(%3, %4, %5)  @ blk.0.q  (tiny.model:20:3)
 *   %8: f32[B, S, 256] = softmax(%7, axis=2)
 *   output y = %8: f32[B, S, 256]
 * </pre>
 */
public final class IrPrinter {
    /** Constants with more elements than this print their type only. */
    private static final int MAX_PRINTED_ELEMENTS = 8;

    private IrPrinter() {}

    public static String print(Graph g) {
        StringBuilder sb = new StringBuilder();
        sb.append("graph ").append(g.name()).append('\n');
        for (Map.Entry<String, DimBounds> d : g.dims().entrySet()) {
            DimBounds b = d.getValue();
            sb.append("  dim ").append(d.getKey());
            if (b.lo() != null || b.hi() != null) {
                sb.append(" in ").append(b.lo() == null ? "" : b.lo()).append("..").append(b.hi() == null ? "" : b.hi());
            }
            sb.append('\n');
        }
        for (GraphInput in : g.inputs()) {
            sb.append("  input ").append(in.value().ref()).append(' ').append(in.name()).append(": ").append(in.value().type());
            sb.append(where(in.provenance())).append('\n');
        }
        for (Param p : g.params()) {
            sb.append("  param ").append(p.value().ref()).append(' ').append(p.path()).append(": ").append(p.type());
            if (p.isBound()) sb.append(" (bound)");
            sb.append(where(p.provenance())).append('\n');
        }
        for (Node n : g.nodes()) sb.append("  ").append(line(n)).append('\n');
        for (GraphOutput o : g.outputs()) {
            sb.append("  output ").append(o.name()).append(" = ").append(o.value().ref()).append(": ").append(o.value().type()).append('\n');
        }
        return sb.toString();
    }

    /** One node: {@code %7: f32[B, S, 256] = linear(%3, %4, %5)  @ blk.0.q  (tiny.model:20:3)}. */
    public static String line(Node n) {
        String outs = n.outputs().stream().map(v -> v.ref() + ": " + v.type()).collect(Collectors.joining(", "));
        List<String> args = new ArrayList<>();
        for (Value v : n.inputs()) args.add(v.ref());
        args.addAll(attributes(n));
        return outs + " = " + n.opName() + "(" + String.join(", ", args) + ")" + where(n.provenance());
    }

    private static String where(Provenance p) {
        StringBuilder sb = new StringBuilder();
        if (!p.instancePath().isEmpty()) sb.append("  @ ").append(p.instancePath());
        if (!p.span().equals(SourceSpan.UNKNOWN)) sb.append("  (").append(p.span().location()).append(')');
        return sb.toString();
    }

    /** The attributes as {@code name=value}, in signature order, resolved as the node holds them. */
    private static List<String> attributes(Node node) {
        return switch (node) {
            case Node.Unary n -> List.of();
            case Node.Gelu n -> List.of("mode=" + (n.tanhApproximation() ? "\"tanh\"" : "\"erf\""));
            case Node.LeakyRelu n -> List.of("alpha=" + n.alpha());
            case Node.Clip n -> {
                List<String> a = new ArrayList<>();
                if (n.min() != null) a.add("min=" + n.min());
                if (n.max() != null) a.add("max=" + n.max());
                yield a;
            }
            case Node.Binary n -> List.of();
            case Node.Compare n -> List.of();
            case Node.Where n -> List.of();
            case Node.MatMul n -> List.of();
            case Node.Linear n -> List.of();
            case Node.LowRankLinear n -> List.of("rank=" + n.rank());
            case Node.QuantizedLinear n -> {
                List<String> attrs = new java.util.ArrayList<>(n.granularity() == Node.QuantGranularity.GROUP
                        ? List.of("bits=" + n.bits(), "granularity=\"group\"", "group=" + n.group())
                        : List.of("bits=" + n.bits(), "granularity=\"" + n.granularity().sourceName() + "\""));
                if (n.dynamicActivations()) attrs.add("activations=\"dynamic\"");
                yield attrs;
            }
            case Node.SparseLinear n -> List.of("format=\"" + n.format() + "\"", "nnz=" + n.nnz());
            case Node.Reduce n -> List.of("axes=" + n.axes(), "keepdims=" + n.keepdims());
            case Node.ArgMax n -> List.of("axis=" + n.axis(), "keepdims=" + n.keepdims());
            case Node.Softmax n -> List.of("axis=" + n.axis());
            case Node.LayerNorm n -> List.of("axis=" + n.axis(), "eps=" + n.eps());
            case Node.RmsNorm n -> List.of("eps=" + n.eps());
            case Node.BatchNorm n -> List.of("eps=" + n.eps());
            case Node.Reshape n -> List.of("shape=" + OpTyping.dims(n.shape()));
            case Node.Transpose n -> List.of("perm=" + n.perm());
            case Node.Flatten n -> List.of("axis=" + n.axis());
            case Node.Concat n -> List.of("axis=" + n.axis());
            case Node.Split n -> List.of("sizes=" + OpTyping.dims(n.sizes()), "axis=" + n.axis());
            case Node.Slice n -> List.of("axis=" + n.axis(), "start=" + n.start(), "end=" + n.end(), "step=" + n.step());
            case Node.Squeeze n -> List.of("axes=" + n.axes());
            case Node.Unsqueeze n -> List.of("axes=" + n.axes());
            case Node.Gather n -> List.of("axis=" + n.axis());
            case Node.Embedding n -> List.of();
            case Node.Cast n -> List.of("dtype=" + n.dtype().sourceName());
            case Node.Conv2d n -> List.of("stride=" + n.stride(), "padding=" + n.pads(), "dilation=" + n.dilation(), "groups=" + n.groups());
            case Node.Pool2d n -> List.of("kernel=" + n.kernel(), "stride=" + n.stride(), "padding=" + n.pads());
            case Node.GlobalAvgPool n -> List.of();
            case Node.Attention n -> List.of("heads=" + n.heads(), "causal=" + n.causal(),
                    "scale=" + (Double.isNaN(n.scale()) ? "default" : Double.toString(n.scale())));
            case Node.LinearAttention n -> List.of("heads=" + n.heads(), "method=\"" + n.method().sourceName() + "\"", "size=" + n.size(),
                    "seed=" + n.seed(), "causal=" + n.causal(), "scale=" + (Double.isNaN(n.scale()) ? "default" : Double.toString(n.scale())));
            case Node.Constant n -> List.of("value=" + values(n.value()));
        };
    }

    private static String values(Tensor t) {
        if (t.size() > MAX_PRINTED_ELEMENTS) return "...";
        List<String> items = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            items.add(switch (t.dtype().storage()) {
                // f32 values print as floats, so 0.1f reads "0.1", not its double widening.
                case FLOAT -> Float.toString((float) t.getDouble(i));
                case DOUBLE -> Double.toString(t.getDouble(i));
                case LONG -> Long.toString(t.getLong(i));
                case BOOLEAN -> Boolean.toString(t.getBoolean(i));
            });
        }
        return "[" + String.join(", ", items) + "]";
    }
}
