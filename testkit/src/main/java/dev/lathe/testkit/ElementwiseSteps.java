package dev.lathe.testkit;

import dev.lathe.ir.Dim;
import dev.lathe.ir.Node;
import dev.lathe.ir.OpTyping;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.runtime.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Steps of the elementwise ops: unary functions, activations with attributes, binary ops, comparisons, where. */
final class ElementwiseSteps {
    private static final List<Double> ALPHAS = List.of(0.01, 0.1, 0.2, 0.5);
    private static final List<Double> CLIP_MINS = List.of(-1.0, -0.5, 0.0);
    private static final List<Double> CLIP_MAXS = List.of(1.0, 0.5, 2.0);

    private ElementwiseSteps() {}

    static void unary(GraphAssembler g, String op, Choices ch) {
        Node.UnaryKind kind = Node.UnaryKind.valueOf(op.toUpperCase(Locale.ROOT));
        Value x = g.pick(ch, v -> kind.acceptsIntegers() ? Types.isNumeric(v) : Types.isFloat(v));
        if (x == null) return;
        // Half the time log, sqrt and rsqrt read |x|, so their results are not mostly NaN.
        if ((op.equals("log") || op.equals("sqrt") || op.equals("rsqrt")) && ch.flag()) x = g.op1("abs", List.of(x), Map.of());
        g.op1(op, List.of(x), Map.of());
    }

    static void activation(GraphAssembler g, String op, Choices ch) {
        Value x = g.pick(ch, op.equals("clip") ? Types::isNumeric : Types::isFloat);
        if (x == null) return;
        Map<String, Object> attrs = switch (op) {
            case "gelu" -> Attrs.of("mode", ch.flag() ? "tanh" : "erf");
            case "leaky_relu" -> Attrs.of("alpha", ch.pick(ALPHAS));
            default -> {
                Map<String, Object> a = Attrs.of();
                int form = ch.below(4);
                if (form == 0 || form == 1) a.put("min", ch.pick(CLIP_MINS));
                if (form == 0 || form == 2) a.put("max", ch.pick(CLIP_MAXS));
                yield a;
            }
        };
        g.op1(op, List.of(x), attrs);
    }

    static void binary(GraphAssembler g, String op, Choices ch) {
        Node.BinaryKind kind = Node.BinaryKind.valueOf(op.toUpperCase(Locale.ROOT));
        // Integer div by zero is an error and integer pow is rarely meant: both stay on floats.
        boolean floatOnly = kind == Node.BinaryKind.DIV || kind == Node.BinaryKind.POW;
        Value a = g.pick(ch, floatOnly ? Types::isFloat : Types::isNumeric);
        if (a == null) return;
        Value b = partner(g, ch, a, t -> Types.attempt(() -> OpTyping.binary(kind, a.type(), t)));
        if (b != null) g.op1(op, List.of(a, b), Map.of());
    }

    static void compare(GraphAssembler g, String op, Choices ch) {
        Node.CompareKind kind = Node.CompareKind.valueOf(op.toUpperCase(Locale.ROOT));
        Value a = g.pick(ch, kind == Node.CompareKind.EQUAL ? v -> true : Types::isNumeric);
        if (a == null) return;
        Value b = partner(g, ch, a, t -> Types.attempt(() -> OpTyping.compare(kind, a.type(), t)));
        if (b != null) g.op1(op, List.of(a, b), Map.of());
    }

    /** where(cond, a, b); without a fitting bool value the condition is made as {@code less(a, b)}. */
    static void where(GraphAssembler g, Choices ch) {
        Value a = g.pick(ch, v -> true);
        if (a == null) return;
        TensorType aAsCond = a.type().withDtype(DType.BOOL);
        Value b = partner(g, ch, a, t -> Types.attempt(() -> OpTyping.where(aAsCond, a.type(), t)));
        if (b == null) return;
        Value cond = ch.flag() ? null : g.pick(ch, v -> v.type().dtype() == DType.BOOL
                && Types.attempt(() -> OpTyping.where(v.type(), a.type(), b.type())).filter(g::fits).isPresent());
        if (cond == null) cond = g.op1(Types.isNumeric(a) ? "less" : "equal", List.of(a, b), Map.of());
        g.op1("where", List.of(cond, a, b), Map.of());
    }

    /**
     * A second operand for an elementwise op on {@code a} whose result type {@code result} gives:
     * a value of the pool ({@code a} itself always qualifies) or, a third of the time, a new param
     * of a shape that broadcasts against {@code a}.
     */
    static Value partner(GraphAssembler g, Choices ch, Value a, Function<TensorType, Optional<TensorType>> result) {
        if (ch.oneIn(3)) {
            TensorType t = broadcastingParam(ch, a.type());
            if (result.apply(t).filter(g::fits).isPresent()) return g.param(t);
        }
        return g.pick(ch, v -> v.type().dtype() == a.type().dtype() && result.apply(v.type()).filter(g::fits).isPresent());
    }

    /**
     * A static type of {@code a}'s dtype that broadcasts against {@code a}: a suffix of its dims
     * with symbolic dims (which a param cannot have) and some others replaced by 1.
     */
    static TensorType broadcastingParam(Choices ch, TensorType a) {
        int rank = a.rank() - ch.below(a.rank() + 1);
        List<Dim> shape = new ArrayList<>();
        for (Dim d : a.shape().subList(a.rank() - rank, a.rank())) {
            shape.add(!d.isConstant() || ch.oneIn(3) ? Dim.of(1) : d);
        }
        return new TensorType(a.dtype(), shape);
    }
}
