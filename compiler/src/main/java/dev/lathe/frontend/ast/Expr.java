package dev.lathe.frontend.ast;

import dev.lathe.diag.SourceSpan;
import java.util.List;

/**
 * Expressions, both tensor-valued (calls, arithmetic on tensors) and compile-time (consts, dims,
 * attributes). Which is which is decided by the elaborator, not the parser. Parentheses are not
 * kept: the formatter re-inserts them from precedence.
 */
public sealed interface Expr extends Node {

    /** A name, possibly qualified by an import alias ({@code nn.D}). */
    record Name(SourceSpan span, String name) implements Expr {}

    /** {@code text} is the literal as written, so the formatter reproduces it. */
    record IntLit(SourceSpan span, long value, String text) implements Expr {}

    record FloatLit(SourceSpan span, double value, String text) implements Expr {}

    record BoolLit(SourceSpan span, boolean value) implements Expr {}

    /** {@code value} has its escapes resolved; {@code {name}} interpolations are still in it. */
    record StringLit(SourceSpan span, String value) implements Expr {}

    record ListLit(SourceSpan span, List<Expr> elements) implements Expr {
        public ListLit { elements = List.copyOf(elements); }
    }

    record Unary(SourceSpan span, UnaryOp op, Expr operand) implements Expr {}

    record Binary(SourceSpan span, BinaryOp op, Expr left, Expr right) implements Expr {}

    /**
     * A call of a block or primitive op; {@code callee} may be qualified ({@code nn.Linear}).
     * {@code instanceName} is the string after {@code named}, or null.
     */
    record Call(SourceSpan span, String callee, List<Arg> args, StringLit instanceName) implements Expr {
        public Call { args = List.copyOf(args); }
    }

    /** {@code ?} in a dim position: unknown size (graph inputs only). */
    record UnknownDim(SourceSpan span) implements Expr {}

    /** {@code ...} as the first dim of a signature type: any number of leading dims. */
    record Ellipsis(SourceSpan span) implements Expr {}

    enum UnaryOp {
        NEG("-"), NOT("!");

        public final String symbol;

        UnaryOp(String symbol) { this.symbol = symbol; }
    }

    /** Binary operators with their Java-like precedence (higher binds tighter). */
    enum BinaryOp {
        OR("||", 1), AND("&&", 2),
        EQ("==", 3), NE("!=", 3),
        LT("<", 4), LE("<=", 4), GT(">", 4), GE(">=", 4),
        ADD("+", 5), SUB("-", 5),
        MUL("*", 6), DIV("/", 6), MOD("%", 6), MATMUL("@", 6);

        public final String symbol;
        public final int precedence;

        BinaryOp(String symbol, int precedence) {
            this.symbol = symbol;
            this.precedence = precedence;
        }
    }
}
