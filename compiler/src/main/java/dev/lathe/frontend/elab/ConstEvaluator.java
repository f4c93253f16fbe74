package dev.lathe.frontend.elab;

import dev.lathe.diag.ErrorCode;
import dev.lathe.diag.SourceSpan;
import dev.lathe.frontend.ast.Expr;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates expressions that must be compile-time values: consts, dim bounds, signature dims,
 * param shapes, defaults, conditions, pass arguments. A call or a tensor here is E0308.
 */
final class ConstEvaluator {
    private ConstEvaluator() {}

    /** Resolves a (possibly qualified) name to its value or throws E0201. */
    @FunctionalInterface
    interface Lookup {
        Val get(String name, SourceSpan span);
    }

    static Val eval(Expr e, Lookup lookup) {
        return switch (e) {
            case Expr.Name n -> {
                Val v = lookup.get(n.name(), n.span());
                if (v instanceof Val.Tensor || v instanceof Val.Absent) {
                    throw new ElabError(ErrorCode.E0308, n.span(), n.name() + " is a " + Val.describe(v)
                            + ", but a compile-time value is needed here");
                }
                yield v;
            }
            case Expr.ListLit l -> {
                List<Val> out = new ArrayList<>();
                for (Expr x : l.elements()) {
                    Val v = eval(x, lookup);
                    if (v == Val.Error.INSTANCE) yield v;
                    out.add(v);
                }
                yield new Val.ListV(out);
            }
            case Expr.Unary u -> {
                Val v = eval(u.operand(), lookup);
                yield v == Val.Error.INSTANCE ? v : CompileTimeOps.unary(u.op(), v, u.span());
            }
            case Expr.Binary b -> binary(b, lookup);
            case Expr.Call c -> throw new ElabError(ErrorCode.E0308, c.span(), "a call of " + c.callee()
                    + " is not a compile-time value");
            default -> literal(e);
        };
    }

    private static Val binary(Expr.Binary b, Lookup lookup) {
        Val l = eval(b.left(), lookup);
        if (l == Val.Error.INSTANCE) return l;
        // && and || short-circuit as in Java, so a guard can protect the right operand.
        if (b.op() == Expr.BinaryOp.AND && l instanceof Val.Bool x && !x.value()) return x;
        if (b.op() == Expr.BinaryOp.OR && l instanceof Val.Bool x && x.value()) return x;
        Val r = eval(b.right(), lookup);
        if (r == Val.Error.INSTANCE) return r;
        return CompileTimeOps.binary(b.op(), l, r, b.span());
    }

    /** Literals, and the dim markers that are not values. */
    static Val literal(Expr e) {
        return switch (e) {
            case Expr.IntLit i -> Val.Int.of(i.value());
            case Expr.FloatLit f -> new Val.Float(f.value());
            case Expr.BoolLit b -> new Val.Bool(b.value());
            case Expr.StringLit s -> new Val.Str(s.value());
            case Expr.UnknownDim u -> throw new ElabError(ErrorCode.E0308, u.span(), "? is only allowed as a dim of a graph input or a signature type");
            case Expr.Ellipsis el -> throw new ElabError(ErrorCode.E0308, el.span(), "... is only allowed as the first dim of a signature type");
            default -> throw new IllegalArgumentException("not a literal: " + e);
        };
    }
}
