package dev.lathe.frontend.elab;

import dev.lathe.frontend.ast.Expr;
import dev.lathe.frontend.ast.TypeRef;
import java.util.stream.Collectors;

/**
 * Prints dim expressions and types as the user wrote them (the AST drops parentheses, so they
 * are put back from precedence), for messages that show a signature next to an actual type.
 */
final class SourceText {
    private SourceText() {}

    static String type(TypeRef type) {
        return switch (type) {
            case TypeRef.Tensor t -> t.elementType() + t.dims().stream().map(SourceText::expr).collect(Collectors.joining(", ", "[", "]"));
            case TypeRef.Attribute a -> a.kind().sourceName() + (a.list() ? "[]" : "");
        };
    }

    static String expr(Expr e) {
        return expr(e, 0);
    }

    private static String expr(Expr e, int outerPrecedence) {
        return switch (e) {
            case Expr.Name n -> n.name();
            case Expr.IntLit i -> i.text() != null ? i.text() : Long.toString(i.value());
            case Expr.FloatLit f -> f.text() != null ? f.text() : Double.toString(f.value());
            case Expr.BoolLit b -> Boolean.toString(b.value());
            case Expr.StringLit s -> "\"" + s.value().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            case Expr.ListLit l -> l.elements().stream().map(SourceText::expr).collect(Collectors.joining(", ", "[", "]"));
            case Expr.Unary u -> u.op().symbol + expr(u.operand(), 7);
            case Expr.Binary b -> {
                int p = b.op().precedence;
                // Left-associative: the right operand needs parentheses at equal precedence.
                String s = expr(b.left(), p) + " " + b.op().symbol + " " + expr(b.right(), p + 1);
                yield p < outerPrecedence ? "(" + s + ")" : s;
            }
            case Expr.Call c -> c.callee() + "(" + c.args().stream()
                    .map(a -> (a.isNamed() ? a.name() + " = " : "") + expr(a.value()))
                    .collect(Collectors.joining(", ")) + ")"
                    + (c.instanceName() != null ? " named " + expr(c.instanceName()) : "");
            case Expr.UnknownDim u -> "?";
            case Expr.Ellipsis el -> "...";
        };
    }
}
