package dev.lathe.api;

import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.DiagnosticException;
import dev.lathe.diag.ErrorCode;
import dev.lathe.frontend.elab.ElaboratedModel;
import dev.lathe.frontend.elab.Elaborator;
import dev.lathe.frontend.elab.InstanceInfo;
import dev.lathe.backend.jvm.JvmCompiler;
import dev.lathe.ir.Graph;
import dev.lathe.pass.PassPlan;
import dev.lathe.pass.PassPlanner;
import dev.lathe.pass.PassStatement;
import dev.lathe.runtime.model.CompiledModel;
import dev.lathe.weights.BindResult;
import dev.lathe.weights.WeightsBinder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The front door of the compiler: {@code .model} file in, checked model out. Every stage reports
 * user errors as a {@link DiagnosticException}; anything else thrown is an internal error.
 */
public final class Lathe {
    private Lathe() {}

    /** Parses, elaborates, binds weights and plans passes: everything {@code lathe check} checks. */
    public static LoadedModel load(Path modelFile, LoadOptions options) {
        ElaboratedModel elaborated = Elaborator.elaborate(modelFile, options.graphName(), options.elaboration());
        List<Diagnostic> warnings = new ArrayList<>(elaborated.warnings());
        Graph graph = elaborated.graph();
        List<Diagnostic> errors = new ArrayList<>();
        // A model without a weights declaration is still checkable (its weights may come with
        // --weights at run time); running it asks for bound params (requireBound).
        if (options.bindWeights() && elaborated.weights() != null) {
            try {
                BindResult bound = WeightsBinder.bind(graph, elaborated.weights());
                graph = bound.bound();
                warnings.addAll(bound.warnings());
            } catch (DiagnosticException e) {
                errors.addAll(e.diagnostics());
            }
        }
        List<PassStatement> statements = new ArrayList<>(options.modelPasses() ? elaborated.passes() : List.of());
        statements.addAll(options.extraPasses());
        PassPlan plan = PassPlan.EMPTY;
        try {
            plan = PassPlanner.plan(statements, graph, instanceKinds(elaborated));
        } catch (DiagnosticException e) {
            errors.addAll(e.diagnostics());
        }
        if (!errors.isEmpty()) {
            List<Diagnostic> all = new ArrayList<>(errors);
            all.addAll(warnings);
            throw new DiagnosticException(all);
        }
        return new LoadedModel(elaborated, graph, plan, warnings);
    }

    /** The model's graph with every param bound, or E0403 saying where weights should come from. */
    public static Graph requireBound(LoadedModel model) {
        Graph graph = model.graph();
        if (graph.isBound()) return graph;
        throw new DiagnosticException(Diagnostic.error(ErrorCode.E0403, graph.params().getFirst().provenance().span(),
                "the graph has " + graph.params().size() + " params but the model declares no weights file"
                        + " (add `weights \"file.safetensors\";` or pass --weights)"));
    }

    /**
     * Loads a model, runs its pass pipeline (as {@code lathe run} and {@code lathe compile} do; skipped
     * targets are not reported here, see {@code lathe report}) and compiles the resulting graph with
     * the JVM backend into a {@link CompiledModel}: a hidden class defined in this JVM, weights shared
     * with the graph.
     *
     * @throws DiagnosticException for errors in the model (as {@link #load}) or an unbound graph (E0403)
     * @throws dev.lathe.lower.UnsupportedOpException for an op the JVM backend does not compile
     */
    public static CompiledModel compile(Path modelFile, LoadOptions loadOptions, CompileOptions options) {
        LoadedModel loaded = load(modelFile, loadOptions);
        Graph graph = dev.lathe.pass.PassPipeline.standard().run(requireBound(loaded), loaded.plan()).graph();
        String stem = modelFile.getFileName().toString().replaceFirst("\\.model$", "");
        return compile(graph, JvmCompiler.className(stem, graph.name()), options);
    }

    /** Compiles a bound graph (see {@link #compile(Path, LoadOptions, CompileOptions)}). */
    public static CompiledModel compile(Graph bound, String className, CompileOptions options) {
        return JvmCompiler.compile(bound, className, options.lowering(), options.run());
    }

    private static Map<String, String> instanceKinds(ElaboratedModel model) {
        Map<String, String> kinds = new LinkedHashMap<>();
        for (Map.Entry<String, InstanceInfo> e : model.instances().entrySet()) kinds.put(e.getKey(), e.getValue().callee());
        return kinds;
    }
}
