package dev.lathe.api;

import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.DiagnosticException;
import dev.lathe.diag.ErrorCode;
import dev.lathe.frontend.ast.Arg;
import dev.lathe.frontend.ast.Decl;
import dev.lathe.frontend.ast.Expr;
import dev.lathe.frontend.parse.ModelParser;
import dev.lathe.pass.PassStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pass statements given outside a .model file (CLI {@code --pass}, Maven plugin configuration), in
 * the syntax of the {@code passes} section. There is no scope there, so arguments are literals.
 */
public final class PassStatementText {
    private PassStatementText() {}

    public static PassStatement parse(String text, String origin, PassStatement.Origin kind) {
        Decl.PassStmt stmt = ModelParser.parsePassStatement(text, origin);
        Map<String, Object> args = new LinkedHashMap<>();
        List<Diagnostic> errors = new ArrayList<>();
        for (Arg a : stmt.args()) {
            if (a.name() == null) {
                errors.add(Diagnostic.error(ErrorCode.E0503, a.span(), "pass arguments must be named (name = value)"));
                continue;
            }
            try {
                args.put(a.name(), literal(a.value()));
            } catch (IllegalArgumentException e) {
                errors.add(Diagnostic.error(ErrorCode.E0504, a.value().span(), e.getMessage()));
            }
        }
        if (!errors.isEmpty()) throw new DiagnosticException(errors);
        List<String> selectors = stmt.selectors().stream().map(Expr.StringLit::value).toList();
        return new PassStatement(stmt.pass(), args, selectors, stmt.span(), kind);
    }

    private static Object literal(Expr e) {
        return switch (e) {
            case Expr.IntLit i -> i.value();
            case Expr.FloatLit f -> f.value();
            case Expr.BoolLit b -> b.value();
            case Expr.StringLit s -> s.value();
            case Expr.ListLit l -> l.elements().stream().map(PassStatementText::literal).toList();
            case Expr.Unary u when u.op() == Expr.UnaryOp.NEG && u.operand() instanceof Expr.IntLit i -> -i.value();
            case Expr.Unary u when u.op() == Expr.UnaryOp.NEG && u.operand() instanceof Expr.FloatLit f -> -f.value();
            default -> throw new IllegalArgumentException("only literal values are allowed here (a number, true/false, a string or a list)");
        };
    }
}
