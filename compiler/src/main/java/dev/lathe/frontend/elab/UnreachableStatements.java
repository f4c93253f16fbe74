package dev.lathe.frontend.elab;

import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.ErrorCode;
import dev.lathe.frontend.ast.Decl;
import dev.lathe.frontend.ast.ModelFile;
import dev.lathe.frontend.ast.Stmt;
import java.util.List;

/**
 * Warns (E0210) at the first statement after a {@code return} in the same statement list: it is never
 * run (LANGUAGE.md §5 does not forbid it, and Python allows it too, so it stays a warning, as linters
 * give). Checked once per definition in the source, not per instance.
 */
final class UnreachableStatements {
    private UnreachableStatements() {}

    static void warn(ModelFile file, ElabContext ctx) {
        for (Decl d : file.decls()) {
            if (d instanceof Decl.Block b && !b.isPrimitive()) check(b.body(), ctx);
        }
    }

    private static void check(List<Stmt> body, ElabContext ctx) {
        boolean returned = false;
        for (Stmt s : body) {
            if (returned) {
                ctx.report(Diagnostic.warning(ErrorCode.E0210, s.span(), "this statement follows a return, so it is never run"));
                return;
            }
            switch (s) {
                case Stmt.Return r -> returned = true;
                case Stmt.If i -> {
                    check(i.then(), ctx);
                    check(i.orElse(), ctx);
                }
                case Stmt.Repeat r -> check(r.body(), ctx);
                default -> { }
            }
        }
    }
}
