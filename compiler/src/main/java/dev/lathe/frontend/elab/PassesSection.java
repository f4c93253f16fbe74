package dev.lathe.frontend.elab;

import dev.lathe.frontend.ast.Decl;

/** The main file's {@code passes} sections, in order, after every annotation (LANGUAGE.md §7). */
final class PassesSection {
    private PassesSection() {}

    static void collect(LoadedModule main, ElabContext ctx) {
        Scope scope = new Scope(main);
        for (Decl d : main.ast().decls()) {
            if (!(d instanceof Decl.Passes passes)) continue;
            for (Decl.PassStmt s : passes.statements()) {
                try {
                    ctx.passes().addSectionStatement(s, scope::lookup);
                } catch (ElabError e) {
                    ctx.report(e);
                }
            }
        }
    }
}
