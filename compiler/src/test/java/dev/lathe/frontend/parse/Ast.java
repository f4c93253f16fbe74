package dev.lathe.frontend.parse;

import dev.lathe.diag.SourceSpan;
import dev.lathe.frontend.ast.Annotation;
import dev.lathe.frontend.ast.Arg;
import dev.lathe.frontend.ast.Expr;
import dev.lathe.frontend.ast.TypeRef;
import java.util.Arrays;
import java.util.List;

/** Builds expected AST nodes without spans, for comparison with {@link AstStructure#withoutSpans}. */
final class Ast {
    private Ast() {}

    static final SourceSpan U = SourceSpan.UNKNOWN;

    static Expr.Name name(String n) { return new Expr.Name(U, n); }

    static Expr.IntLit integer(long v) { return new Expr.IntLit(U, v, Long.toString(v)); }

    static Expr.FloatLit floating(String text) { return new Expr.FloatLit(U, Double.parseDouble(text), text); }

    static Expr.StringLit string(String v) { return new Expr.StringLit(U, v); }

    static Expr.BoolLit bool(boolean v) { return new Expr.BoolLit(U, v); }

    static Expr.Binary bin(Expr l, Expr.BinaryOp op, Expr r) { return new Expr.Binary(U, op, l, r); }

    static Expr.Unary neg(Expr e) { return new Expr.Unary(U, Expr.UnaryOp.NEG, e); }

    static Expr.Unary not(Expr e) { return new Expr.Unary(U, Expr.UnaryOp.NOT, e); }

    static Expr.Call call(String callee, Arg... args) { return new Expr.Call(U, callee, List.of(args), null); }

    static Expr.Call named(Expr.Call c, String instance) { return new Expr.Call(U, c.callee(), c.args(), string(instance)); }

    static Expr.ListLit list(Expr... elements) { return new Expr.ListLit(U, List.of(elements)); }

    static Arg pos(Expr e) { return new Arg(U, null, e); }

    static Arg arg(String name, Expr e) { return new Arg(U, name, e); }

    static Annotation annotation(String name, Arg... args) { return new Annotation(U, name, List.of(args)); }

    /** {@code tensor("f32", "B", "S")}: dims given as names, integers ("4"), "?" or "...". */
    static TypeRef.Tensor tensor(String element, String... dims) {
        return new TypeRef.Tensor(U, element, Arrays.stream(dims).map(Ast::dim).toList());
    }

    static TypeRef.Attribute attribute(TypeRef.AttributeKind kind, boolean list) { return new TypeRef.Attribute(U, kind, list); }

    private static Expr dim(String d) {
        if (d.equals("?")) return new Expr.UnknownDim(U);
        if (d.equals("...")) return new Expr.Ellipsis(U);
        if (d.chars().allMatch(Character::isDigit)) return integer(Long.parseLong(d));
        return name(d);
    }
}
