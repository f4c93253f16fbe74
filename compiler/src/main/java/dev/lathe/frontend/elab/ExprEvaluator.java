package dev.lathe.frontend.elab;

import dev.lathe.diag.ErrorCode;
import dev.lathe.frontend.ast.Expr;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates expressions in a block instance: compile-time values are computed here (through
 * {@link CompileTimeOps}), tensor arithmetic becomes op calls ({@code + - * /} to
 * {@code add sub mul div}, {@code @} to {@code matmul}, unary {@code -} to {@code neg}), and calls go
 * to {@link CallExpander}. Comparisons and logic are compile-time only: on tensors they are E0308
 * (use {@code equal}, {@code less}, {@code greater}).
 */
final class ExprEvaluator {
    private final Expander x;

    ExprEvaluator(Expander x) {
        this.x = x;
    }

    /** Exactly one value (E0309 for a call with several results). */
    Val single(Expr e, Frame f) {
        return single(e, f, null);
    }

    Val single(Expr e, Frame f, TopLevel top) {
        List<Val> vs = evaluate(e, f, top);
        if (vs.size() == 1) return vs.getFirst();
        throw new ElabError(ErrorCode.E0309, e.span(), SourceText.expr(e) + " gives " + vs.size() + " results where one value is expected");
    }

    /** The values of an expression: one, except for a call of a block or op with several results. */
    List<Val> evaluate(Expr e, Frame f, TopLevel top) {
        return switch (e) {
            case Expr.Call c -> x.calls.call(c, f, top);
            case Expr.Name n -> List.of(f.scope().lookup(n.name(), n.span()));
            case Expr.ListLit l -> {
                List<Val> out = new ArrayList<>();
                for (Expr el : l.elements()) {
                    Val v = single(el, f);
                    if (v == Val.Error.INSTANCE) yield List.of(v);
                    if (!v.isCompileTime()) {
                        throw new ElabError(ErrorCode.E0308, el.span(), "list elements must be compile-time values, got " + Val.describe(v));
                    }
                    out.add(v);
                }
                yield List.of(new Val.ListV(out));
            }
            case Expr.Unary u -> List.of(unary(u, f, top));
            case Expr.Binary b -> List.of(binary(b, f, top));
            default -> List.of(ConstEvaluator.literal(e));
        };
    }

    private Val unary(Expr.Unary u, Frame f, TopLevel top) {
        Val v = single(u.operand(), f);
        if (v == Val.Error.INSTANCE) return v;
        if (v instanceof Val.Tensor || v instanceof Val.Absent) {
            if (u.op() == Expr.UnaryOp.NOT) {
                throw new ElabError(ErrorCode.E0308, u.span(), "! needs a compile-time bool, got " + Val.describe(v));
            }
            return x.primitives.operator("neg", List.of(v), u, f, top);
        }
        return CompileTimeOps.unary(u.op(), v, u.span());
    }

    private Val binary(Expr.Binary b, Frame f, TopLevel top) {
        Val l = single(b.left(), f);
        if (l == Val.Error.INSTANCE) return l;
        // && and || short-circuit as in Java, so a guard can protect the right operand.
        if (b.op() == Expr.BinaryOp.AND && l instanceof Val.Bool v && !v.value()) return v;
        if (b.op() == Expr.BinaryOp.OR && l instanceof Val.Bool v && v.value()) return v;
        Val r = single(b.right(), f);
        if (r == Val.Error.INSTANCE) return r;
        if (isTensorSide(l) || isTensorSide(r)) {
            String op = switch (b.op()) {
                case ADD -> "add";
                case SUB -> "sub";
                case MUL -> "mul";
                case DIV -> "div";
                case MATMUL -> "matmul";
                default -> throw new ElabError(ErrorCode.E0308, b.span(), b.op().symbol + " is a compile-time operator; on tensors use "
                        + switch (b.op()) {
                            case EQ, NE -> "equal(a, b)";
                            case LT, LE -> "less(a, b)";
                            case GT, GE -> "greater(a, b)";
                            default -> "where(cond, a, b) with bool tensors";
                        });
            };
            return x.primitives.operator(op, List.of(l, r), b, f, top);
        }
        return CompileTimeOps.binary(b.op(), l, r, b.span());
    }

    private static boolean isTensorSide(Val v) {
        return v instanceof Val.Tensor || v instanceof Val.Absent;
    }
}
