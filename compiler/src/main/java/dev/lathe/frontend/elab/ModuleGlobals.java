package dev.lathe.frontend.elab;

import dev.lathe.diag.ErrorCode;
import dev.lathe.diag.SourceSpan;
import dev.lathe.frontend.ast.Decl;
import dev.lathe.frontend.ast.Expr;
import dev.lathe.ir.Dim;
import dev.lathe.ir.DimBounds;
import java.util.HashMap;
import java.util.Map;

/**
 * Evaluates a module's dims and consts in declaration order, so each may use those before it
 * and those of the modules it imports (LANGUAGE.md §3-4). A dim is the symbolic int {@code B};
 * its bounds must be constant ints with {@code 0 <= lo <= hi} (E0311). A const is any compile-time
 * value. A name defined twice in one module is E0202. A failed definition is bound to the error
 * marker so its uses stay quiet.
 */
final class ModuleGlobals {
    private ModuleGlobals() {}

    static void evaluate(LoadedModule m, ElabContext ctx) {
        Map<String, SourceSpan> defined = new HashMap<>();
        Scope scope = new Scope(m);
        for (Decl d : m.ast().decls()) {
            switch (d) {
                case Decl.Dims dims -> {
                    for (Decl.DimDef def : dims.dims()) {
                        if (!define(m, ctx, defined, def.name(), def.span())) continue;
                        try {
                            DimBounds bounds = bounds(def, scope);
                            ctx.declareDim(def.name(), bounds, def.span());
                            m.globals().put(def.name(), new Val.Int(Dim.var(def.name())));
                        } catch (ElabError e) {
                            ctx.report(e);
                            m.globals().put(def.name(), Val.Error.INSTANCE);
                        }
                    }
                }
                case Decl.Consts consts -> {
                    for (Decl.ConstDef def : consts.consts()) {
                        if (!define(m, ctx, defined, def.name(), def.span())) continue;
                        try {
                            m.globals().put(def.name(), ConstEvaluator.eval(def.value(), scope::lookup));
                        } catch (ElabError e) {
                            ctx.report(e);
                            m.globals().put(def.name(), Val.Error.INSTANCE);
                        }
                    }
                }
                default -> { }
            }
        }
    }

    private static boolean define(LoadedModule m, ElabContext ctx, Map<String, SourceSpan> defined, String name, SourceSpan span) {
        SourceSpan first = defined.putIfAbsent(name, span);
        if (first == null) return true;
        ctx.report(ctx.duplicate(name, span, first));
        return false;
    }

    private static DimBounds bounds(Decl.DimDef def, Scope scope) {
        if (def.lo() == null && def.hi() == null) return DimBounds.UNBOUNDED;
        Long lo = def.lo() == null ? null : bound(def.lo(), def, scope);
        Long hi = def.hi() == null ? null : bound(def.hi(), def, scope);
        if (lo != null && lo < 0) {
            throw new ElabError(ErrorCode.E0311, def.lo().span(), "dim " + def.name() + " has a negative lower bound " + lo);
        }
        if (lo != null && hi != null && lo > hi) {
            throw new ElabError(ErrorCode.E0311, def.span(), "dim " + def.name() + " has empty bounds " + lo + ".." + hi);
        }
        return new DimBounds(lo, hi);
    }

    private static long bound(Expr e, Decl.DimDef def, Scope scope) {
        Val v = ConstEvaluator.eval(e, scope::lookup);
        if (v instanceof Val.Int i && i.value().isConstant()) return i.value().constant().getAsLong();
        if (v == Val.Error.INSTANCE) throw ElabError.suppressed();
        throw new ElabError(ErrorCode.E0311, e.span(), "bound of dim " + def.name() + " must be a constant int, got " + Val.describe(v));
    }
}
