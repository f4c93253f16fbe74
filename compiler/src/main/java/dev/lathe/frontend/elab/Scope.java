package dev.lathe.frontend.elab;

import dev.lathe.diag.ErrorCode;
import dev.lathe.diag.SourceSpan;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The names of one block instance (or graph) body: inputs, attributes, pattern variables, params
 * and assigned names, falling back to the consts and dims of the module that defines the block.
 * There is one flat scope per instance: names assigned inside {@code repeat} and {@code if} bodies
 * rebind the outer name (LANGUAGE.md §5), and a name first assigned inside a body stays visible after it.
 */
final class Scope {
    private final LoadedModule module;
    private final Map<String, Val> locals = new HashMap<>();

    Scope(LoadedModule module) {
        this.module = module;
    }

    LoadedModule module() { return module; }

    void bind(String name, Val value) {
        locals.put(name, value);
    }

    /** Removes a local binding (a repeat variable after its loop), restoring {@code previous} if any. */
    void restore(String name, Val previous) {
        if (previous == null) locals.remove(name);
        else locals.put(name, previous);
    }

    Val local(String name) {
        return locals.get(name);
    }

    Optional<Val> find(String name, SourceSpan span) {
        Val v = name.indexOf('.') < 0 ? locals.get(name) : null;
        return v != null ? Optional.of(v) : module.resolveGlobal(name, span);
    }

    /** The value of a name, or E0201 with the closest visible names. */
    Val lookup(String name, SourceSpan span) {
        return find(name, span).orElseThrow(() -> undefined(name, span));
    }

    /** E0201 with the closest names, or E0209 when the name is a block used as a value. */
    ElabError undefined(String name, SourceSpan span) {
        if (module.resolveBlock(name, span).isPresent()) {
            return new ElabError(ErrorCode.E0209, span, name + " is a block or op, not a value; call it as " + name + "(...)");
        }
        return new ElabError(ErrorCode.E0201, span, "undefined name " + name + NameSuggestions.didYouMean(name, visibleNames()));
    }

    Set<String> visibleNames() {
        Set<String> out = new LinkedHashSet<>(locals.keySet());
        out.addAll(module.visibleGlobalNames());
        return out;
    }
}
