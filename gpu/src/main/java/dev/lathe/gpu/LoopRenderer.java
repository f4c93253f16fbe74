package dev.lathe.gpu;

import dev.lathe.ir.Dim;
import dev.lathe.lower.Affine;
import dev.lathe.lower.Kernel;
import dev.lathe.lower.KernelProgram;
import dev.lathe.lower.Scalar;
import dev.lathe.lower.UnsupportedOpException;
import dev.lathe.runtime.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One {@link Kernel.Loop} as an OpenCL kernel: one work-item per point of the outer loops (a flattened
 * 1-D NDRange), the reduction inside the work-item. Values follow {@link Scalar}'s rule exactly as the
 * JVM backend's {@code LoopEmitter} does: floats are computed in {@code real} (double with
 * {@code cl_khr_fp64}) and rounded per node, integers in {@code long} with two's-complement wrapping to
 * their width (the arithmetic goes through {@code ulong}, where overflow is defined), bools as 0/1.
 * Float-to-integer conversion saturates and maps NaN to 0 (Java's {@code (long)} cast). Gathers check
 * their index and integer division its divisor; a failure writes an error code and the value into the
 * error buffer (parameter {@code lt_err}), which the host turns into the runtime's error message.
 */
final class LoopRenderer {
    private final KernelProgram p;
    private final Map<String, Long> env;
    private final Kernel.Loop loop;
    private final List<String> errors;
    private boolean usesErrors;

    LoopRenderer(KernelProgram p, Map<String, Long> env, Kernel.Loop loop, List<String> errors) {
        this.p = p;
        this.env = env;
        this.loop = loop;
        this.errors = errors;
    }

    /** Refuses what this renderer cannot compute like the interpreter: half-precision nodes. */
    static void check(Kernel.Loop l) {
        List<Scalar> nodes = new ArrayList<>();
        Scalar.forEach(l.body(), nodes::add);
        if (l.reduction() != null) {
            Scalar.forEach(l.reduction().value(), nodes::add);
            if (l.reduction().init() != null) Scalar.forEach(l.reduction().init(), nodes::add);
        }
        for (Scalar s : nodes) {
            if (s.type() == DType.F16 || s.type() == DType.BF16) {
                throw new UnsupportedOpException(s.type().sourceName(), "the opencl backend does not round to " + s.type().sourceName() + " (kernel '" + l.label() + "')");
            }
        }
    }

    OpenClRenderer.Launch render(String name, StringBuilder src) {
        int outer = loop.extents().size();
        long[] ext = new long[outer];
        long total = 1;
        for (int d = 0; d < outer; d++) {
            ext[d] = OpenClRenderer.ev(loop.extents().get(d), env);
            total *= ext[d];
        }
        if (total == 0) return null;
        StringBuilder body = new StringBuilder();
        for (int d = outer - 1; d >= 0; d--) {
            body.append("  const long i").append(d).append(" = g % ").append(ext[d]).append("L; g /= ").append(ext[d]).append("L;\n");
        }
        Kernel.Reduction red = loop.reduction();
        if (red != null) reduction(red, outer, body);
        DType outType = p.buffer(loop.out()).dtype();
        body.append("  b").append(loop.out()).append('[').append(affine(loop.outIndex())).append("] = ").append(store(outType, loop.body())).append(";\n}\n");
        List<Integer> args = OpenClRenderer.distinct(new ArrayList<>(loop.reads()));
        args.remove((Integer) loop.out());
        args.add(loop.out());
        if (usesErrors) args.add(OpenClRenderer.ERRORS);
        src.append("\n__kernel void ").append(name).append('(').append(OpenClRenderer.params(p, args, loop.out())).append(") {\n");
        src.append("  long g = get_global_id(0);\n").append(body);
        return new OpenClRenderer.Launch(name, loop.label(), args, new long[] {total});
    }

    /** The body's value converted to the output buffer's element type. */
    private String store(DType out, Scalar value) {
        return switch (out.storage()) {
            case FLOAT -> "(float)(" + expr(value) + ")";
            case DOUBLE -> "(double)(" + expr(value) + ")";
            case LONG -> "(long)(" + expr(value) + ")";
            case BOOLEAN -> "(uchar)((" + expr(value) + ") != 0)";
        };
    }

    private void reduction(Kernel.Reduction red, int outer, StringBuilder src) {
        boolean fl = red.value().type().isFloating() || red.op() == Kernel.ReduceOp.ARGMAX;
        String t = fl ? "real" : "long";
        if (red.op() == Kernel.ReduceOp.ARGMAX) {
            src.append("  real best = 0; long acc = -1;\n");
        } else {
            String init = red.init() != null ? "(" + t + ")(" + expr(red.init()) + ")" : switch (red.op()) {
                case SUM -> "0";
                case MAX -> fl ? "-INFINITY" : "LONG_MIN";
                default -> fl ? "INFINITY" : "LONG_MAX";
            };
            src.append("  ").append(t).append(" acc = ").append(init).append(";\n");
        }
        int r = red.extents().size();
        for (int d = 0; d < r; d++) {
            int v = outer + d;
            src.append("  for (long i").append(v).append(" = 0; i").append(v).append(" < ").append(OpenClRenderer.ev(red.extents().get(d), env)).append("L; i").append(v)
                    .append("++)\n");
        }
        src.append("  { ").append(t).append(" v = ").append(fl ? "(real)(" + expr(red.value()) + ")" : toLong(red.value())).append("; ");
        switch (red.op()) {
            case SUM -> src.append(fl ? "acc += v;" : "acc = (long)((ulong)acc + (ulong)v);");
            case MAX -> src.append(fl ? "acc = lt_max(acc, v);" : "acc = max(acc, v);");
            case MIN -> src.append(fl ? "acc = lt_min(acc, v);" : "acc = min(acc, v);");
            // strictly greater wins, NaN counts as largest and the first NaN stays (Scalars.argmaxBetter)
            case ARGMAX -> src.append("if (acc < 0 || (!isnan(best) && (isnan(v) || v > best))) { best = v; acc = i").append(outer).append("; }");
        }
        src.append(" }\n");
    }

    private String affine(Affine a) {
        StringBuilder sb = new StringBuilder("(").append(OpenClRenderer.ev(a.offset(), env)).append('L');
        for (Map.Entry<Integer, Dim> e : a.coefs().entrySet()) {
            sb.append(" + ").append(OpenClRenderer.ev(e.getValue(), env)).append("L * i").append(e.getKey());
        }
        return sb.append(')').toString();
    }

    /** The C type a node's value is held in: float for f32, real for other floats, long for integers, int for bool. */
    private static String ctype(DType t) {
        if (t == DType.F32) return "float";
        if (t.isFloating()) return "real";
        if (t == DType.BOOL) return "int";
        return "long";
    }

    private int error(String template) {
        usesErrors = true;
        errors.add(template);
        return errors.size();
    }

    /** A C expression of the node's value: float/real for floats, long for integers, int (0/1) for bool. */
    private String expr(Scalar s) {
        return switch (s) {
            case Scalar.Load l -> load(l);
            case Scalar.Const c -> c.type().isFloating() ? "((" + ctype(c.type()) + ")" + OpenClRenderer.lit(c.value()) + ")"
                    : c.type() == DType.BOOL ? (c.value() != 0 ? "1" : "0") : "(" + (long) c.value() + "L)";
            case Scalar.Index i -> affine(i.index());
            case Scalar.Acc a -> a.type().isFloating() ? "((" + ctype(a.type()) + ")acc)" : wrap(a.type(), "(long)acc");
            case Scalar.Unary u -> unary(u);
            case Scalar.Binary b -> binary(b);
            case Scalar.Compare c -> compare(c);
            case Scalar.Select x -> select(x);
            case Scalar.Cast c -> cast(c.x(), c.type());
        };
    }

    private String load(Scalar.Load l) {
        String index = affine(l.index());
        Scalar.Gather g = l.gather();
        if (g != null) {
            long extent = OpenClRenderer.ev(g.extent(), env), stride = OpenClRenderer.ev(g.stride(), env);
            String message = g.op() + ": index %d is out of range for " + (g.negative() ? "dim " : "a table of ") + extent + (g.negative() ? "" : " rows");
            int code = error(message.replace("%d", "\u0000").replace("%", "%%").replace("\u0000", "%d"));
            index = "(" + index + " + " + stride + "L * lt_gidx((long)(" + expr(g.index()) + "), " + extent + "L, " + (g.negative() ? 1 : 0) + ", lt_err, " + code + "))";
        }
        String v = "b" + l.buffer() + "[" + index + "]";
        return p.buffer(l.buffer()).dtype() == DType.BOOL ? "(int)" + v : v;
    }

    /** The operand widened to the compute type of its kind: real for floats, long for integers and bools. */
    private String widen(Scalar s) {
        return (s.type().isFloating() ? "(real)" : "(long)") + "(" + expr(s) + ")";
    }

    /** The operand as a long: saturating for floats (Java's conversion), 0/1 for bools. */
    private String toLong(Scalar s) {
        return s.type().isFloating() ? "lt_d2l((real)(" + expr(s) + "))" : "(long)(" + expr(s) + ")";
    }

    /** A real value rounded to float type {@code t}. */
    private static String round(DType t, String realExpr) {
        return "((" + ctype(t) + ")(" + realExpr + "))";
    }

    /** A long value wrapped to integer type {@code t}'s width (two's complement), as the runtime holds it. */
    private static String wrap(DType t, String longExpr) {
        return switch (t) {
            case I32 -> "((long)(int)(" + longExpr + "))";
            case I8 -> "((long)(char)(" + longExpr + "))";
            case U8 -> "((" + longExpr + ") & 0xFFL)";
            case I4 -> "((long)((ulong)(" + longExpr + ") << 60) >> 60)";
            case U4 -> "((" + longExpr + ") & 0xFL)";
            case BOOL -> "((" + longExpr + ") != 0 ? 1 : 0)";
            default -> "(" + longExpr + ")";
        };
    }

    /** Converts {@code x} to {@code t} as a C cast does, with Java's saturating float-to-integer conversion. */
    private String cast(Scalar x, DType t) {
        if (t == DType.BOOL) return "((" + expr(x) + ") != 0 ? 1 : 0)";
        if (t.isFloating()) return round(t, "(real)(" + widen(x) + ")");
        if (x.type().isFloating()) return wrap(t, "lt_d2l(" + widen(x) + ")");
        return wrap(t, "(long)(" + expr(x) + ")");
    }

    private String compare(Scalar.Compare c) {
        boolean real = c.a().type().isFloating() || c.b().type().isFloating();
        String a = real ? "(real)(" + expr(c.a()) + ")" : widen(c.a()), b = real ? "(real)(" + expr(c.b()) + ")" : widen(c.b());
        return "((" + a + ") " + c.op().symbol() + " (" + b + ") ? 1 : 0)";
    }

    private String select(Scalar.Select x) {
        String cond = "(" + expr(x.cond()) + ")";
        if (x.type().isFloating()) return round(x.type(), cond + " ? (real)(" + expr(x.a()) + ") : (real)(" + expr(x.b()) + ")");
        if (x.type() == DType.BOOL) return "(" + cond + " ? ((" + expr(x.a()) + ") != 0) : ((" + expr(x.b()) + ") != 0))";
        return wrap(x.type(), cond + " ? " + toLong(x.a()) + " : " + toLong(x.b()));
    }

    private String unary(Scalar.Unary u) {
        if (u.op() == Scalar.UnaryOp.NOT) return "((" + expr(u.x()) + ") ? 0 : 1)";
        if (!u.type().isFloating()) {
            String x = toLong(u.x());
            switch (u.op()) {
                case NEG -> { return wrap(u.type(), "(long)(0UL - (ulong)" + x + ")"); }
                case ABS -> { return wrap(u.type(), "(long)abs(" + x + ")"); }
                case RELU -> { return wrap(u.type(), "max(" + x + ", 0L)"); }
                default -> { } // in real, then truncated, as the interpreter's fallback does
            }
        }
        String x = "(real)(" + expr(u.x()) + ")";
        String r = switch (u.op()) {
            case NEG -> "-" + x;
            case ABS -> "fabs(" + x + ")";
            case EXP -> "exp(" + x + ")";
            case LOG -> "log(" + x + ")";
            case SQRT -> "sqrt(" + x + ")";
            case RSQRT -> "1 / sqrt(" + x + ")";
            case ERF -> "erf(" + x + ")";
            case TANH -> "tanh(" + x + ")";
            case SIGMOID -> "lt_sigmoid(" + x + ")";
            case RELU -> "lt_relu(" + x + ")";
            case SILU -> "(" + x + " * lt_sigmoid(" + x + "))";
            case SOFTPLUS -> "lt_softplus(" + x + ")";
            case GELU_ERF -> "lt_gelu_erf(" + x + ")";
            case GELU_TANH -> "lt_gelu_tanh(" + x + ")";
            case LEAKY_RELU -> "lt_leaky(" + x + ", (real)" + OpenClRenderer.lit(u.p1()) + ")";
            case CLIP -> "lt_clip(" + x + ", (real)" + OpenClRenderer.lit(u.p1()) + ", (real)" + OpenClRenderer.lit(u.p2()) + ")";
            case NOT -> throw new AssertionError();
        };
        return u.type().isFloating() ? round(u.type(), r) : wrap(u.type(), "lt_d2l(" + r + ")");
    }

    private String binary(Scalar.Binary b) {
        if (b.op() == Scalar.BinaryOp.AND) return "((" + expr(b.a()) + ") && (" + expr(b.b()) + ") ? 1 : 0)";
        if (!b.type().isFloating()) {
            String a = toLong(b.a()), c = toLong(b.b());
            String r = switch (b.op()) {
                case ADD -> "(long)((ulong)" + a + " + (ulong)" + c + ")";
                case SUB -> "(long)((ulong)" + a + " - (ulong)" + c + ")";
                case MUL -> "(long)((ulong)" + a + " * (ulong)" + c + ")";
                case DIV -> "lt_idiv(" + a + ", " + c + ", lt_err, " + error("div: integer division by zero") + ")";
                case POW -> "lt_ipow(" + a + ", " + c + ")";
                case MAX -> "max(" + a + ", " + c + ")";
                case MIN -> "min(" + a + ", " + c + ")";
                case AND -> throw new AssertionError();
            };
            return wrap(b.type(), r);
        }
        String a = widen(b.a()), c = widen(b.b());
        String r = switch (b.op()) {
            case ADD -> a + " + " + c;
            case SUB -> a + " - " + c;
            case MUL -> a + " * " + c;
            case DIV -> a + " / " + c;
            case POW -> "pow(" + a + ", " + c + ")";
            case MAX -> "lt_max(" + a + ", " + c + ")";
            case MIN -> "lt_min(" + a + ", " + c + ")";
            case AND -> throw new AssertionError();
        };
        return round(b.type(), r);
    }
}
