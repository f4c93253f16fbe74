package dev.lathe.tornado;

import dev.lathe.ir.Dim;
import dev.lathe.lower.Affine;
import dev.lathe.lower.KernelProgram;
import dev.lathe.lower.Scalar;
import dev.lathe.lower.UnsupportedOpException;
import dev.lathe.runtime.DType;
import java.util.Map;

/**
 * A loop body's {@link Scalar} tree as a Java expression, following Scalar's rule exactly as the
 * interpreter does: a float node is computed in {@code double} and rounded to its type (f32 by a
 * {@code float} cast, f16 by {@code roundF16}), an integer node in {@code long} wrapped to its width, a
 * bool is a {@code boolean}. Every index is an {@code int} expression of the loop variables
 * {@code i0, i1, ...} with the named dims already substituted.
 */
final class ScalarSource {
    private final KernelProgram program;
    private final Map<String, Long> env;
    private final String accName;
    private final boolean accFloating;

    /** {@code accName} is the reduction accumulator ({@code double} when {@code accFloating}, else {@code long}). */
    ScalarSource(KernelProgram program, Map<String, Long> env, String accName, boolean accFloating) {
        this.program = program;
        this.env = env;
        this.accName = accName;
        this.accFloating = accFloating;
    }

    /** Refuses what cannot run on a device: gathers (a bad index must be an error), integer division. */
    static void check(Scalar s) {
        Scalar.forEach(s, n -> {
            switch (n) {
                case Scalar.Load l -> {
                    if (l.gather() != null) {
                        throw new UnsupportedOpException("gather", "the tornadovm backend does not emit gathers (data-dependent indices, whose range "
                                + "check must be a run-time error) yet");
                    }
                    ArrayTypes.require(l.type(), "a loaded element");
                }
                case Scalar.Binary b when !b.type().isFloating() && b.op() == Scalar.BinaryOp.DIV ->
                        throw new UnsupportedOpException("div", "the tornadovm backend does not emit integer div (division by zero must be a run-time error) yet");
                default -> {
                    if (n.type() == DType.BF16 || !ArrayTypes.supported(n.type())) ArrayTypes.require(n.type(), "a computed value");
                }
            }
        });
    }

    String affine(Affine a) {
        StringBuilder sb = new StringBuilder("(").append(eval(a.offset()));
        for (Map.Entry<Integer, Dim> e : a.coefs().entrySet()) {
            long c = eval(e.getValue());
            sb.append(" + ");
            if (c != 1) sb.append(c).append(" * ");
            sb.append('i').append(e.getKey());
        }
        return sb.append(')').toString();
    }

    long eval(Dim d) {
        long v = d.evaluate(env);
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw new UnsupportedOpException("index", "the tornadovm backend indexes arrays with int; " + d + " = " + v + " does not fit");
        }
        return v;
    }

    /** The node's value as an expression of its kind. */
    String expr(Scalar s) {
        return switch (s) {
            case Scalar.Load l -> ArrayTypes.load(l.type(), "b" + l.buffer(), affine(l.index()));
            case Scalar.Const c -> c.type().isFloating() ? JavaLiterals.dbl(c.value())
                    : c.type() == DType.BOOL ? (c.value() != 0 ? "true" : "false") : JavaLiterals.lng((long) c.value());
            case Scalar.Index i -> "((long) " + affine(i.index()) + ")";
            case Scalar.Acc a -> convert(accName, accFloating ? DType.F64 : DType.I64, a.type());
            case Scalar.Unary u -> unary(u);
            case Scalar.Binary b -> binary(b);
            case Scalar.Compare c -> compare(c);
            case Scalar.Select x -> "((" + expr(x.cond()) + ") ? " + as(x.a(), x.type()) + " : " + as(x.b(), x.type()) + ")";
            case Scalar.Cast c -> as(c.x(), c.type());
        };
    }

    /** {@code s} converted (as by a C cast) to {@code target} and rounded or wrapped to it. */
    String as(Scalar s, DType target) {
        return convert(expr(s), s.type(), target);
    }

    static String convert(String e, DType from, DType to) {
        if (to == DType.BOOL) {
            if (from == DType.BOOL) return e;
            return from.isFloating() ? "(" + e + " != 0.0)" : "(" + e + " != 0L)";
        }
        if (to.isFloating()) {
            String d = from == DType.BOOL ? "((" + e + ") ? 1.0 : 0.0)" : from.isFloating() ? e : "((double) " + e + ")";
            return from == to ? e : round(to, d);
        }
        // float to integer: Java's cast (toward zero, NaN 0, saturating at the long range), then wrapped, as the interpreter does
        String l = from == DType.BOOL ? "((" + e + ") ? 1L : 0L)" : from.isFloating() ? "((long) " + e + ")" : e;
        return from == to ? e : wrap(to, l);
    }

    static String round(DType t, String d) {
        return switch (t) {
            case F32 -> "((double) (float) " + d + ")";
            case F16 -> "roundF16(" + d + ")";
            case F64 -> d;
            default -> throw new IllegalArgumentException(t.sourceName());
        };
    }

    static String wrap(DType t, String l) {
        return switch (t) {
            case I64 -> l;
            case I32 -> "((long) (int) " + l + ")";
            case I8 -> "((long) (byte) " + l + ")";
            default -> throw new IllegalArgumentException(t.sourceName());
        };
    }

    private String dbl(Scalar s) {
        return s.type().isFloating() ? expr(s) : convert(expr(s), s.type(), DType.F64);
    }

    private String lng(Scalar s) {
        return s.type() == DType.BOOL ? "((" + expr(s) + ") ? 1L : 0L)" : expr(s);
    }

    private String unary(Scalar.Unary u) {
        if (u.op() == Scalar.UnaryOp.NOT) return "(!" + expr(u.x()) + ")";
        boolean integer = !u.type().isFloating();
        if (integer && (u.op() == Scalar.UnaryOp.NEG || u.op() == Scalar.UnaryOp.ABS || u.op() == Scalar.UnaryOp.RELU)) {
            String x = lng(u.x());
            return wrap(u.type(), switch (u.op()) {
                case NEG -> "(-" + x + ")";
                case ABS -> "Math.abs(" + x + ")";
                default -> "Math.max(" + x + ", 0L)";
            });
        }
        // everything else in double; an integer result truncates and wraps, as the interpreter's fallback does
        String x = dbl(u.x());
        String r = switch (u.op()) {
            case NEG -> "(-" + x + ")";
            case ABS -> "Math.abs(" + x + ")";
            case EXP -> "Math.exp(" + x + ")";
            case LOG -> "Math.log(" + x + ")";
            case SQRT -> "Math.sqrt(" + x + ")";
            case RSQRT -> "(1 / Math.sqrt(" + x + "))";
            case ERF -> "erf(" + x + ")";
            case TANH -> "Math.tanh(" + x + ")";
            case SIGMOID -> "sigmoid(" + x + ")";
            case RELU -> "Math.max(" + x + ", 0.0)";
            case SILU -> "silu(" + x + ")";
            case SOFTPLUS -> "softplus(" + x + ")";
            case GELU_ERF -> "geluErf(" + x + ")";
            case GELU_TANH -> "geluTanh(" + x + ")";
            case LEAKY_RELU -> "leakyRelu(" + x + ", " + JavaLiterals.dbl(u.p1()) + ")";
            case CLIP -> "clip(" + x + ", " + JavaLiterals.dbl(u.p1()) + ", " + JavaLiterals.dbl(u.p2()) + ")";
            case NOT -> throw new AssertionError();
        };
        return integer ? wrap(u.type(), "((long) " + r + ")") : round(u.type(), r);
    }

    private String binary(Scalar.Binary b) {
        if (b.op() == Scalar.BinaryOp.AND) return "(" + as(b.a(), DType.BOOL) + " && " + as(b.b(), DType.BOOL) + ")";
        if (!b.type().isFloating()) {
            String x = lng(b.a()), y = lng(b.b());
            return wrap(b.type(), switch (b.op()) {
                case ADD -> "(" + x + " + " + y + ")";
                case SUB -> "(" + x + " - " + y + ")";
                case MUL -> "(" + x + " * " + y + ")";
                case MAX -> "Math.max(" + x + ", " + y + ")";
                case MIN -> "Math.min(" + x + ", " + y + ")";
                case POW -> "((long) Math.pow(" + x + ", " + y + "))";
                default -> throw new UnsupportedOpException(b.op().text(), "the tornadovm backend does not emit integer " + b.op().text());
            });
        }
        String x = dbl(b.a()), y = dbl(b.b());
        String r = switch (b.op()) {
            case ADD -> "(" + x + " + " + y + ")";
            case SUB -> "(" + x + " - " + y + ")";
            case MUL -> "(" + x + " * " + y + ")";
            case DIV -> "(" + x + " / " + y + ")";
            case POW -> "Math.pow(" + x + ", " + y + ")";
            case MAX -> "Math.max(" + x + ", " + y + ")";
            case MIN -> "Math.min(" + x + ", " + y + ")";
            case AND -> throw new AssertionError();
        };
        return round(b.type(), r);
    }

    private String compare(Scalar.Compare c) {
        boolean fl = c.a().type().isFloating() || c.b().type().isFloating();
        boolean bothBool = c.a().type() == DType.BOOL && c.b().type() == DType.BOOL;
        String x, y;
        if (fl) {
            x = dbl(c.a());
            y = dbl(c.b());
        } else if (bothBool && (c.op() == Scalar.CompareOp.EQ || c.op() == Scalar.CompareOp.NE)) {
            x = expr(c.a());
            y = expr(c.b());
        } else {
            x = lng(c.a());
            y = lng(c.b());
        }
        return "(" + x + " " + c.op().symbol() + " " + y + ")";
    }
}
