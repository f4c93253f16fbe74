package dev.lathe.frontend.elab;

import dev.lathe.frontend.ast.Decl;
import java.util.Map;

/**
 * Default values of signature attributes, evaluated in the callee's module: they see its consts
 * and dims and the attributes before them in the signature ({@code stride: int = kernel}), not the
 * caller's names nor pattern variables.
 */
final class Defaults {
    private Defaults() {}

    static Val evaluate(Decl.SigParam p, LoadedModule module, Map<String, Val> earlierAttributes) {
        return ConstEvaluator.eval(p.defaultValue(), (name, span) -> {
            Val v = name.indexOf('.') < 0 ? earlierAttributes.get(name) : null;
            if (v != null) return v;
            return module.resolveGlobal(name, span).orElseThrow(() -> new Scope(module).undefined(name, span));
        });
    }
}
