package dev.lathe.frontend.elab;

import dev.lathe.diag.ErrorCode;
import dev.lathe.diag.SourceSpan;
import dev.lathe.frontend.ast.Expr.BinaryOp;
import dev.lathe.frontend.ast.Expr.UnaryOp;
import dev.lathe.ir.Dim;
import java.util.Optional;

/**
 * Arithmetic, comparison and logic on compile-time values (LANGUAGE.md §5). Decisions:
 * <ul>
 *   <li>int {@code /} int is exact division: constants that do not divide are E0305, symbolic
 *       quotients use {@link Dim#divExact} (an exact-division atom checked at run time);</li>
 *   <li>an int with a float gives a float (the int must then be a constant);</li>
 *   <li>{@code %} on a symbolic int is known only when the divisor provably divides it (then 0);</li>
 *   <li>comparisons of symbolic ints are decided when their difference is a constant
 *       ({@code S + 1 > S}), else E0308; {@code ==}/{@code !=} also compare bools, strings and lists;</li>
 *   <li>division or remainder by zero, overflow and operators on the wrong kinds are E0308.</li>
 * </ul>
 */
final class CompileTimeOps {
    private CompileTimeOps() {}

    static Val unary(UnaryOp op, Val v, SourceSpan span) {
        return switch (op) {
            case NEG -> switch (v) {
                case Val.Int i -> new Val.Int(overflowChecked(i.value()::negate, span));
                case Val.Float f -> new Val.Float(-f.value());
                default -> throw wrongKind("-", v, span);
            };
            case NOT -> switch (v) {
                case Val.Bool b -> new Val.Bool(!b.value());
                default -> throw wrongKind("!", v, span);
            };
        };
    }

    /** Both operands are compile-time values; {@code &&}/{@code ||} get both evaluated here. */
    static Val binary(BinaryOp op, Val l, Val r, SourceSpan span) {
        return switch (op) {
            case ADD, SUB, MUL, DIV, MOD -> arithmetic(op, l, r, span);
            case EQ -> new Val.Bool(equal(l, r, span));
            case NE -> new Val.Bool(!equal(l, r, span));
            case LT, LE, GT, GE -> new Val.Bool(order(op, l, r, span));
            case AND, OR -> {
                if (l instanceof Val.Bool a && r instanceof Val.Bool b) {
                    yield new Val.Bool(op == BinaryOp.AND ? a.value() && b.value() : a.value() || b.value());
                }
                throw wrongKinds(op, l, r, span);
            }
            case MATMUL -> throw new ElabError(ErrorCode.E0308, span, "@ needs tensors; got " + Val.describe(l) + " and " + Val.describe(r));
        };
    }

    private static Val arithmetic(BinaryOp op, Val l, Val r, SourceSpan span) {
        if (l instanceof Val.Int a && r instanceof Val.Int b) return new Val.Int(intArithmetic(op, a.value(), b.value(), span));
        if (isNumber(l) && isNumber(r)) {
            double a = toDouble(l, span);
            double b = toDouble(r, span);
            return new Val.Float(switch (op) {
                case ADD -> a + b;
                case SUB -> a - b;
                case MUL -> a * b;
                case DIV -> {
                    if (b == 0) throw divisionByZero(span);
                    yield a / b;
                }
                case MOD -> {
                    if (b == 0) throw divisionByZero(span);
                    yield a % b;
                }
                default -> throw new IllegalStateException(op.toString());
            });
        }
        throw wrongKinds(op, l, r, span);
    }

    static Dim intArithmetic(BinaryOp op, Dim a, Dim b, SourceSpan span) {
        return switch (op) {
            case ADD -> overflowChecked(() -> a.plus(b), span);
            case SUB -> overflowChecked(() -> a.minus(b), span);
            case MUL -> overflowChecked(() -> a.times(b), span);
            case DIV -> {
                if (b.isZero()) throw divisionByZero(span);
                Optional<Dim> q = overflowChecked(() -> a.divExact(b), span);
                if (q.isEmpty()) {
                    throw new ElabError(ErrorCode.E0305, span, a + " / " + b + " does not divide exactly");
                }
                yield q.get();
            }
            case MOD -> {
                if (b.isZero()) throw divisionByZero(span);
                if (a.isConstant() && b.isConstant()) yield Dim.of(a.constant().getAsLong() % b.constant().getAsLong());
                if (a.divideExactly(b).isPresent()) yield Dim.of(0);
                throw new ElabError(ErrorCode.E0308, span, "(" + a + ") % (" + b + ") is not known at compile time: "
                        + "the operands are symbolic dims");
            }
            default -> throw new IllegalStateException(op.toString());
        };
    }

    private static boolean equal(Val l, Val r, SourceSpan span) {
        if (l instanceof Val.Int a && r instanceof Val.Int b) {
            Dim diff = overflowChecked(() -> a.value().minus(b.value()), span);
            if (diff.isConstant()) return diff.isZero();
            throw undecidable(a.value(), b.value(), span);
        }
        if (isNumber(l) && isNumber(r)) return toDouble(l, span) == toDouble(r, span);
        return switch (l) {
            case Val.Bool a when r instanceof Val.Bool b -> a.value() == b.value();
            case Val.Str a when r instanceof Val.Str b -> a.value().equals(b.value());
            case Val.ListV a when r instanceof Val.ListV b -> {
                if (a.elements().size() != b.elements().size()) yield false;
                for (int i = 0; i < a.elements().size(); i++) {
                    if (!equal(a.elements().get(i), b.elements().get(i), span)) yield false;
                }
                yield true;
            }
            default -> throw wrongKinds(BinaryOp.EQ, l, r, span);
        };
    }

    private static boolean order(BinaryOp op, Val l, Val r, SourceSpan span) {
        int sign;
        if (l instanceof Val.Int a && r instanceof Val.Int b) {
            Dim diff = overflowChecked(() -> a.value().minus(b.value()), span);
            if (!diff.isConstant()) throw undecidable(a.value(), b.value(), span);
            sign = Long.signum(diff.constant().getAsLong());
        } else if (isNumber(l) && isNumber(r)) {
            sign = Double.compare(toDouble(l, span), toDouble(r, span));
        } else {
            throw wrongKinds(op, l, r, span);
        }
        return switch (op) {
            case LT -> sign < 0;
            case LE -> sign <= 0;
            case GT -> sign > 0;
            case GE -> sign >= 0;
            default -> throw new IllegalStateException(op.toString());
        };
    }

    static boolean isNumber(Val v) {
        return v instanceof Val.Int || v instanceof Val.Float;
    }

    /** A float, or an int that must be a constant to take part in float arithmetic. */
    static double toDouble(Val v, SourceSpan span) {
        return switch (v) {
            case Val.Float f -> f.value();
            case Val.Int i when i.value().isConstant() -> i.value().constant().getAsLong();
            case Val.Int i -> throw new ElabError(ErrorCode.E0308, span, "symbolic dim " + i.value() + " cannot be used as a float");
            default -> throw new ElabError(ErrorCode.E0308, span, "expected a number, got " + Val.describe(v));
        };
    }

    private static <T> T overflowChecked(java.util.function.Supplier<T> f, SourceSpan span) {
        try {
            return f.get();
        } catch (ArithmeticException e) {
            throw new ElabError(ErrorCode.E0308, span, "integer overflow in compile-time arithmetic");
        }
    }

    private static ElabError divisionByZero(SourceSpan span) {
        return new ElabError(ErrorCode.E0308, span, "division by zero in compile-time arithmetic");
    }

    private static ElabError undecidable(Dim a, Dim b, SourceSpan span) {
        return new ElabError(ErrorCode.E0308, span, "cannot compare " + a + " and " + b
                + " at compile time: their difference depends on a symbolic dim");
    }

    private static ElabError wrongKind(String op, Val v, SourceSpan span) {
        return new ElabError(ErrorCode.E0308, span, "cannot apply " + op + " to " + Val.describe(v));
    }

    private static ElabError wrongKinds(BinaryOp op, Val l, Val r, SourceSpan span) {
        return new ElabError(ErrorCode.E0308, span, "cannot apply " + op.symbol + " to " + Val.describe(l) + " and " + Val.describe(r));
    }
}
