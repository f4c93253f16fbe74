package dev.lathe.frontend.elab;

import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.DiagnosticException;
import dev.lathe.diag.ErrorCode;
import dev.lathe.diag.SourceSpan;
import dev.lathe.frontend.ast.Decl;
import dev.lathe.frontend.ast.ModelFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Loads the main file and, transitively, everything it imports (LANGUAGE.md §3).
 * <ul>
 *   <li>{@code import std.a.b...} reads the classpath resource {@code std/a/b.model}; parsed
 *       standard modules are cached for the life of the JVM (they are immutable). Other dotted
 *       names are E0205: files are imported by path.</li>
 *   <li>A path import is relative to the importing file and must stay inside the root folder
 *       (E0704, checked on the normalized path; symbolic links are not followed). A file that
 *       cannot be read is E0205.</li>
 *   <li>A cycle is E0203 at the import that closes it, naming every module on it.</li>
 *   <li>std.ops is loaded always: it is the prelude of every module.</li>
 * </ul>
 * A module is loaded once per elaboration however often it is imported.
 */
final class ModuleLoader {
    private static final String PRELUDE = "std.ops";
    private static final Map<String, ModelFile> STANDARD_CACHE = new ConcurrentHashMap<>();

    private final ElabContext ctx;
    private final Path root;
    private final Function<Path, String> reader;
    private final BiFunction<String, String, ModelFile> parser;
    private final Map<String, LoadedModule> loaded = new LinkedHashMap<>();
    /** Modules being loaded, outermost first: an import of one of them closes a cycle. */
    private final List<LoadedModule> stack = new ArrayList<>();
    /** Modules whose imports are all loaded, dependencies first. */
    private final List<LoadedModule> order = new ArrayList<>();
    private boolean failed;

    ModuleLoader(ElabContext ctx, Path root, Function<Path, String> reader, BiFunction<String, String, ModelFile> parser) {
        this.ctx = ctx;
        this.root = root.toAbsolutePath().normalize();
        this.reader = reader;
        this.parser = parser;
    }

    /** Loads the main file; problems are reported to the context. Null when the main file failed. */
    LoadedModule loadMain(Path mainFile) {
        LoadedModule prelude = loadStandard(PRELUDE, SourceSpan.UNKNOWN);
        Path abs = mainFile.toAbsolutePath().normalize();
        LoadedModule main = loadFile(abs, mainFile.toString(), SourceSpan.UNKNOWN);
        for (LoadedModule m : loaded.values()) m.setPrelude(prelude);
        return main;
    }

    /**
     * Whether a module could not be read, parsed or imported: elaboration then stops, since every
     * name from the missing module would be one more error.
     */
    boolean failed() {
        return failed;
    }

    /** Every loaded module, each after the modules it imports. */
    List<LoadedModule> inDependencyOrder() {
        return List.copyOf(order);
    }

    private LoadedModule loadStandard(String dotted, SourceSpan at) {
        String key = "std:" + dotted;
        LoadedModule existing = loaded.get(key);
        if (existing != null) return checkCycle(existing, at);
        String resource = dotted.replace('.', '/') + ".model";
        ModelFile ast = STANDARD_CACHE.get(resource);
        if (ast == null) {
            String text = readResource(resource);
            if (text == null) {
                fail(Diagnostic.error(ErrorCode.E0205, at, "no standard module " + dotted
                        + NameSuggestions.didYouMean(dotted, List.of("std.ops", "std.nn"))));
                return null;
            }
            ast = parse(resource, text);
            if (ast == null) return null;
            STANDARD_CACHE.put(resource, ast);
        }
        return register(new LoadedModule(key, resource, null, ast, true));
    }

    private LoadedModule loadFile(Path abs, String display, SourceSpan at) {
        String key = abs.toString();
        LoadedModule existing = loaded.get(key);
        if (existing != null) return checkCycle(existing, at);
        String text;
        try {
            text = reader.apply(abs);
        } catch (UncheckedIOException | SecurityException e) {
            text = null;
        }
        if (text == null) {
            SourceSpan where = at == SourceSpan.UNKNOWN ? new SourceSpan(display, 0, 0, 1) : at;
            fail(Diagnostic.error(ErrorCode.E0205, where, "cannot read model file " + display));
            return null;
        }
        ModelFile ast = parse(display, text);
        if (ast == null) return null;
        UnreachableStatements.warn(ast, ctx);
        return register(new LoadedModule(key, display, abs, ast, false));
    }

    private ModelFile parse(String display, String text) {
        try {
            return parser.apply(display, text);
        } catch (DiagnosticException e) {
            e.diagnostics().forEach(this::fail);
            return null;
        }
    }

    private LoadedModule register(LoadedModule m) {
        loaded.put(m.key(), m);
        stack.add(m);
        m.indexBlocks(ctx);
        for (var d : m.ast().decls()) {
            if (d instanceof Decl.Import imp) resolveImport(m, imp);
        }
        stack.removeLast();
        order.add(m);
        return m;
    }

    /** An already loaded module; when it is still being loaded, this import closes a cycle. */
    private LoadedModule checkCycle(LoadedModule m, SourceSpan at) {
        int i = stack.indexOf(m);
        if (i < 0) return m;
        List<String> names = new ArrayList<>();
        for (LoadedModule s : stack.subList(i, stack.size())) names.add(s.displayName());
        names.add(m.displayName());
        fail(Diagnostic.error(ErrorCode.E0203, at, "import cycle: " + String.join(" -> ", names)));
        return null;
    }

    private void resolveImport(LoadedModule importer, Decl.Import imp) {
        LoadedModule target;
        String defaultAlias = null;
        if (imp.module() != null) {
            if (!imp.module().startsWith("std.")) {
                fail(Diagnostic.error(ErrorCode.E0205, imp.span(), "no standard module " + imp.module()
                        + "; import other files by path, as in import \"" + imp.module().replace('.', '/') + ".model\""));
                return;
            }
            target = loadStandard(imp.module(), imp.span());
            defaultAlias = imp.module();
        } else {
            if (importer.isStandard()) {
                fail(Diagnostic.error(ErrorCode.E0205, imp.span(), "a standard module cannot import a file"));
                return;
            }
            Path abs = importer.path().getParent().resolve(imp.path()).normalize();
            if (!abs.startsWith(root)) {
                fail(Diagnostic.error(ErrorCode.E0704, imp.span(), "import \"" + imp.path()
                        + "\" is outside the model's folder " + root));
                return;
            }
            Path displayParent = Path.of(importer.displayName()).getParent();
            String display = (displayParent == null ? Path.of(imp.path()) : displayParent.resolve(imp.path())).normalize().toString();
            target = loadFile(abs, display, imp.span());
        }
        if (target == null) return;
        if (imp.alias() != null) {
            if (!importer.addAlias(imp.alias(), target)) ctx.report(Diagnostic.error(ErrorCode.E0202, imp.span(),
                    "import alias " + imp.alias() + " is already used"));
        } else if (imp.wildcard() || imp.path() != null) {
            importer.addOpenImport(target);
        } else {
            importer.addAlias(defaultAlias, target);
        }
    }

    private void fail(Diagnostic d) {
        failed = true;
        ctx.report(d);
    }

    private static String readResource(String resource) {
        ClassLoader cl = ModuleLoader.class.getClassLoader();
        try (InputStream in = cl.getResourceAsStream(resource)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }
}
