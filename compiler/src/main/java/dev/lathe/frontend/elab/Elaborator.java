package dev.lathe.frontend.elab;

import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.DiagnosticException;
import dev.lathe.diag.ErrorCode;
import dev.lathe.diag.SourceSpan;
import dev.lathe.frontend.ast.Decl;
import dev.lathe.frontend.ast.ModelFile;
import dev.lathe.frontend.parse.ModelParser;
import dev.lathe.ir.Graph;
import dev.lathe.weights.WeightsSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/**
 * The front end's entry point: resolves, evaluates, expands and type-checks a {@code .model}
 * program into Graph IR (DESIGN.md §1). Every error found is reported, several per run: a failed
 * statement binds its targets to an error marker that silences the errors it would cause, and
 * elaboration goes on. Loading problems (syntax, missing or cyclic imports) and an unknown graph
 * stop before expansion, since nothing useful can be said past them.
 */
public final class Elaborator {
    /** Deep block nesting recurses through several frames per level; this keeps it off the caller's stack. */
    private static final long STACK_BYTES = 256L << 20;

    private Elaborator() {}

    /**
     * Elaborates graph {@code graphName} of {@code mainFile}. With {@code graphName} null, the
     * graph is {@code main}, or the only graph when the file has just one; an unknown name is E0208
     * listing the graphs.
     *
     * @throws DiagnosticException with every diagnostic when there was an error
     */
    public static ElaboratedModel elaborate(Path mainFile, String graphName, ElaborationOptions options) {
        return elaborate(mainFile, graphName, options, ModelParser::parse);
    }

    static ElaboratedModel elaborate(Path mainFile, String graphName, ElaborationOptions options,
                                     BiFunction<String, String, ModelFile> parser) {
        ElaborationOptions opts = options == null ? ElaborationOptions.defaults() : options;
        AtomicReference<ElaboratedModel> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                result.set(run(mainFile, graphName, opts, parser));
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "lathe-elaborate", STACK_BYTES);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            t.interrupt();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while elaborating " + mainFile, e);
        }
        Throwable e = failure.get();
        if (e instanceof StackOverflowError) {
            throw new DiagnosticException(Diagnostic.error(ErrorCode.E0702, new SourceSpan(mainFile.toString(), 1, 1, 1),
                    "the model nests too deeply to elaborate"));
        }
        if (e instanceof RuntimeException r) throw r;
        if (e instanceof Error err) throw err;
        if (e != null) throw new IllegalStateException(e);
        return result.get();
    }

    private static ElaboratedModel run(Path mainFile, String graphName, ElaborationOptions options,
                                       BiFunction<String, String, ModelFile> parser) {
        ElabContext ctx = new ElabContext(options);
        Path root = (options.root() != null ? options.root() : parentOf(mainFile)).toAbsolutePath().normalize();
        if (!mainFile.toAbsolutePath().normalize().startsWith(root)) {
            throw new DiagnosticException(Diagnostic.error(ErrorCode.E0704, new SourceSpan(mainFile.toString(), 0, 0, 1),
                    "model file " + mainFile + " is outside the root folder " + root));
        }
        ModuleLoader loader = new ModuleLoader(ctx, root, options.sourceReader(), parser);
        LoadedModule main = loader.loadMain(mainFile);
        if (loader.failed()) ctx.diagnostics().throwIfErrors();

        Decl.Block graph = selectGraph(main, graphName, ctx);
        ctx.startGraph(graph.name());
        for (LoadedModule m : loader.inDependencyOrder()) ModuleGlobals.evaluate(m, ctx);
        WeightsSpec weights = WeightsDeclaration.resolve(main, mainFile, root, options.weightsOverride(), ctx);

        Expander expander = new Expander(ctx);
        Graph built = GraphElaborator.elaborate(graph, main, expander);
        PassesSection.collect(main, ctx);
        ctx.diagnostics().throwIfErrors();
        if (built == null) throw new IllegalStateException("graph " + graph.name() + " was not built but no error was reported");

        List<Diagnostic> warnings = new ArrayList<>(ctx.diagnostics().all());
        return new ElaboratedModel(built, weights, ctx.passes().statements(), ctx.instances().all(), warnings, main.ast());
    }

    private static Decl.Block selectGraph(LoadedModule main, String graphName, ElabContext ctx) {
        List<Decl.Block> graphs = main.ast().decls().stream()
                .filter(d -> d instanceof Decl.Block b && b.graph()).map(d -> (Decl.Block) d).toList();
        String wanted = graphName != null ? graphName : graphs.size() == 1 ? graphs.getFirst().name() : "main";
        for (Decl.Block g : graphs) {
            if (g.name().equals(wanted)) return g;
        }
        // Pointing at the first graph shows where the graphs that do exist are.
        SourceSpan at = graphs.isEmpty() ? main.ast().span() : graphs.getFirst().span();
        String message = graphs.isEmpty() ? main.displayName() + " defines no graph"
                : "no graph " + wanted + " in " + main.displayName() + "; its graphs are "
                        + String.join(", ", graphs.stream().map(Decl.Block::name).toList());
        List<Diagnostic> all = new ArrayList<>(ctx.diagnostics().all());
        all.add(Diagnostic.error(ErrorCode.E0208, at, message));
        throw new DiagnosticException(all);
    }

    private static Path parentOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent != null ? parent : file.toAbsolutePath().getRoot();
    }
}
