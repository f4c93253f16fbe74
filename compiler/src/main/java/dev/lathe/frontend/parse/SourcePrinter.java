package dev.lathe.frontend.parse;

import dev.lathe.frontend.ast.Annotation;
import dev.lathe.frontend.ast.Arg;
import dev.lathe.frontend.ast.Decl;
import dev.lathe.frontend.ast.Expr;
import dev.lathe.frontend.ast.TypeRef;
import java.util.List;

/**
 * Prints the one-line pieces of the canonical syntax: expressions (with parentheses only where
 * precedence needs them), types, signatures, arguments. Layout and comments are
 * {@link ModelFormatter}'s business.
 */
final class SourcePrinter {
    private SourcePrinter() {}

    /** Unary operators bind tighter than every binary one. */
    private static final int UNARY_PRECEDENCE = 7;

    static String expr(Expr e) {
        StringBuilder sb = new StringBuilder();
        expr(e, sb);
        return sb.toString();
    }

    private static void expr(Expr e, StringBuilder sb) {
        switch (e) {
            case Expr.Name n -> sb.append(n.name());
            case Expr.IntLit i -> sb.append(i.text() != null ? i.text() : Long.toString(i.value()));
            case Expr.FloatLit f -> sb.append(f.text() != null ? f.text() : Double.toString(f.value()));
            case Expr.BoolLit b -> sb.append(b.value());
            case Expr.StringLit s -> sb.append(StringLiterals.quote(s.value()));
            case Expr.ListLit l -> {
                sb.append('[');
                list(l.elements(), sb);
                sb.append(']');
            }
            case Expr.Unary u -> {
                sb.append(u.op().symbol);
                // `- -x` rather than `--x`, which reads like a decrement.
                if (u.operand() instanceof Expr.Unary) sb.append(' ');
                operand(u.operand(), precedence(u.operand()) < UNARY_PRECEDENCE, sb);
            }
            case Expr.Binary b -> {
                int p = b.op().precedence;
                operand(b.left(), precedence(b.left()) < p, sb);
                sb.append(' ').append(b.op().symbol).append(' ');
                // Left-associative: a right operand of the same precedence needs parentheses.
                operand(b.right(), precedence(b.right()) <= p, sb);
            }
            case Expr.Call c -> {
                sb.append(c.callee()).append('(');
                args(c.args(), sb);
                sb.append(')');
                if (c.instanceName() != null) sb.append(" named ").append(StringLiterals.quote(c.instanceName().value()));
            }
            case Expr.UnknownDim u -> sb.append('?');
            case Expr.Ellipsis x -> sb.append("...");
        }
    }

    private static int precedence(Expr e) {
        return switch (e) {
            case Expr.Binary b -> b.op().precedence;
            case Expr.Unary u -> UNARY_PRECEDENCE;
            default -> Integer.MAX_VALUE;
        };
    }

    private static void operand(Expr e, boolean parenthesize, StringBuilder sb) {
        if (parenthesize) sb.append('(');
        expr(e, sb);
        if (parenthesize) sb.append(')');
    }

    private static void list(List<Expr> elements, StringBuilder sb) {
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) sb.append(", ");
            expr(elements.get(i), sb);
        }
    }

    static String args(List<Arg> args) {
        StringBuilder sb = new StringBuilder();
        args(args, sb);
        return sb.toString();
    }

    private static void args(List<Arg> args, StringBuilder sb) {
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) sb.append(", ");
            Arg a = args.get(i);
            if (a.isNamed()) sb.append(a.name()).append(" = ");
            expr(a.value(), sb);
        }
    }

    static String type(TypeRef t) {
        return switch (t) {
            case TypeRef.Tensor tensor -> {
                StringBuilder sb = new StringBuilder(tensor.elementType()).append('[');
                list(tensor.dims(), sb);
                yield sb.append(']').toString();
            }
            case TypeRef.Attribute a -> a.kind().sourceName() + (a.list() ? "[]" : "");
        };
    }

    static String signature(Decl.Block b) {
        StringBuilder sb = new StringBuilder(b.graph() ? "graph " : "block ").append(b.name()).append('(');
        for (int i = 0; i < b.params().size(); i++) {
            if (i > 0) sb.append(", ");
            Decl.SigParam p = b.params().get(i);
            sb.append(p.name());
            if (p.optional()) sb.append('?');
            if (p.variadic()) sb.append("...");
            sb.append(": ").append(type(p.type()));
            if (p.defaultValue() != null) sb.append(" = ").append(expr(p.defaultValue()));
        }
        sb.append(") -> ");
        List<Decl.Result> results = b.results();
        if (results.size() == 1 && results.getFirst().name() == null) {
            sb.append(type(results.getFirst().type()));
        } else {
            sb.append('(');
            for (int i = 0; i < results.size(); i++) {
                if (i > 0) sb.append(", ");
                Decl.Result r = results.get(i);
                if (r.name() != null) sb.append(r.name()).append(": ");
                sb.append(type(r.type()));
            }
            sb.append(')');
        }
        return sb.toString();
    }

    static String annotation(Annotation a) {
        return "@" + a.name() + "(" + args(a.args()) + ")";
    }

    static String pass(Decl.PassStmt p) {
        StringBuilder sb = new StringBuilder(p.pass()).append('(').append(args(p.args())).append(") on ");
        for (int i = 0; i < p.selectors().size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(StringLiterals.quote(p.selectors().get(i).value()));
        }
        return sb.append(';').toString();
    }
}
