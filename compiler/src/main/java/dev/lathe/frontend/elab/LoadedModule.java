package dev.lathe.frontend.elab;

import dev.lathe.diag.ErrorCode;
import dev.lathe.diag.SourceSpan;
import dev.lathe.frontend.ast.Decl;
import dev.lathe.frontend.ast.ModelFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One parsed module with its imports resolved, and the module-level meaning of names: which
 * block a callee names and which const or dim a value name denotes. Every block body resolves
 * names in the module that defines it.
 *
 * <p>Decisions: a module exports only its own blocks, consts and dims (not what it imports);
 * unqualified names look in the module itself, then in its {@code .*} and alias-less path
 * imports (two different modules defining the name make it ambiguous, E0202), then, for blocks,
 * in the std.ops prelude. {@code import std.nn;} without an alias is reachable as {@code std.nn.X}.
 */
final class LoadedModule {
    private final String key;
    private final String displayName;
    private final Path path;
    private final ModelFile ast;
    private final boolean standard;
    private final Map<String, Decl.Block> blocks = new LinkedHashMap<>();
    private final List<LoadedModule> openImports = new ArrayList<>();
    private final Map<String, LoadedModule> aliases = new LinkedHashMap<>();
    /** Consts and dims, in declaration order; filled by {@link ModuleGlobals}. */
    private final Map<String, Val> globals = new LinkedHashMap<>();
    private LoadedModule prelude;

    LoadedModule(String key, String displayName, Path path, ModelFile ast, boolean standard) {
        this.key = key;
        this.displayName = displayName;
        this.path = path;
        this.ast = ast;
        this.standard = standard;
    }

    String key() { return key; }

    /** The file name diagnostics use: the path as the user gave it, or {@code std/nn.model}. */
    String displayName() { return displayName; }

    /** The absolute file, or null for a standard module (a classpath resource). */
    Path path() { return path; }

    ModelFile ast() { return ast; }

    boolean isStandard() { return standard; }

    /** Indexes the blocks and graphs; duplicates are E0202 (the first definition wins). */
    void indexBlocks(ElabContext ctx) {
        for (Decl d : ast.decls()) {
            if (d instanceof Decl.Block b) {
                Decl.Block first = blocks.putIfAbsent(b.name(), b);
                if (first != null) ctx.report(ctx.duplicate(b.name(), b.span(), first.span()));
            }
        }
    }

    void addOpenImport(LoadedModule m) {
        if (m != this && !openImports.contains(m)) openImports.add(m);
    }

    /** Returns false when the alias is taken. */
    boolean addAlias(String alias, LoadedModule m) {
        return aliases.putIfAbsent(alias, m) == null;
    }

    void setPrelude(LoadedModule prelude) {
        this.prelude = prelude == this ? null : prelude;
    }

    Map<String, Val> globals() { return globals; }

    /** The block a callee names, or empty; ambiguity is an {@link ElabError}. */
    Optional<Resolved> resolveBlock(String name, SourceSpan span) {
        int dot = name.lastIndexOf('.');
        if (dot >= 0) {
            LoadedModule target = aliases.get(name.substring(0, dot));
            if (target == null) return Optional.empty();
            Decl.Block b = target.blocks.get(name.substring(dot + 1));
            return b == null ? Optional.empty() : Optional.of(new Resolved(target, b));
        }
        Decl.Block own = blocks.get(name);
        if (own != null) return Optional.of(new Resolved(this, own));
        Resolved found = null;
        for (LoadedModule m : openImports) {
            Decl.Block b = m.blocks.get(name);
            if (b == null) continue;
            if (found != null && found.module() != m) throw ambiguous(name, found.module(), m, span);
            if (found == null) found = new Resolved(m, b);
        }
        if (found != null) return Optional.of(found);
        if (prelude != null) {
            Decl.Block b = prelude.blocks.get(name);
            if (b != null) return Optional.of(new Resolved(prelude, b));
        }
        return Optional.empty();
    }

    /** A module-level const or dim, or empty. */
    Optional<Val> resolveGlobal(String name, SourceSpan span) {
        int dot = name.lastIndexOf('.');
        if (dot >= 0) {
            LoadedModule target = aliases.get(name.substring(0, dot));
            return target == null ? Optional.empty() : Optional.ofNullable(target.globals.get(name.substring(dot + 1)));
        }
        Val own = globals.get(name);
        if (own != null) return Optional.of(own);
        Val found = null;
        LoadedModule from = null;
        for (LoadedModule m : openImports) {
            Val v = m.globals.get(name);
            if (v == null) continue;
            if (from != null && from != m) throw ambiguous(name, from, m, span);
            found = v;
            from = m;
        }
        return Optional.ofNullable(found);
    }

    /** Every callee name visible here, for "did you mean" lists. */
    Set<String> visibleBlockNames() {
        Set<String> out = new LinkedHashSet<>(blocks.keySet());
        openImports.forEach(m -> out.addAll(m.blocks.keySet()));
        aliases.forEach((a, m) -> m.blocks.keySet().forEach(n -> out.add(a + "." + n)));
        if (prelude != null) out.addAll(prelude.blocks.keySet());
        return out;
    }

    /** Every module-level value name visible here. */
    Set<String> visibleGlobalNames() {
        Set<String> out = new LinkedHashSet<>(globals.keySet());
        openImports.forEach(m -> out.addAll(m.globals.keySet()));
        aliases.forEach((a, m) -> m.globals.keySet().forEach(n -> out.add(a + "." + n)));
        return out;
    }

    private static ElabError ambiguous(String name, LoadedModule a, LoadedModule b, SourceSpan span) {
        return new ElabError(ErrorCode.E0202, span, name + " is ambiguous: both " + a.displayName() + " and "
                + b.displayName() + " define it; import one of them with an alias");
    }

    /** A block and the module that defines it (whose names its body sees). */
    record Resolved(LoadedModule module, Decl.Block block) {}

    @Override
    public String toString() { return displayName; }
}
