package dev.lathe.frontend.elab;

import dev.lathe.diag.Diagnostic;
import dev.lathe.frontend.ast.ModelFile;
import dev.lathe.ir.Graph;
import dev.lathe.ir.Provenance;
import dev.lathe.pass.PassStatement;
import dev.lathe.weights.WeightsSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of elaboration: the graph (params unbound), where its weights come from ({@code null}
 * when the model declares none and no override was given), the pass statements in pipeline order
 * (annotations in the order they were expanded, then the main file's {@code passes} section), every
 * block and op instance by path in creation order, warnings, and the main file's AST.
 */
public record ElaboratedModel(Graph graph, WeightsSpec weights, List<PassStatement> passes,
                              Map<String, InstanceInfo> instances, List<Diagnostic> warnings, ModelFile root) {
    public ElaboratedModel {
        passes = List.copyOf(passes);
        instances = Collections.unmodifiableMap(new LinkedHashMap<>(instances));
        warnings = List.copyOf(warnings);
    }

    /** Instance paths to provenance, the form {@code PassPlanner.plan} takes. */
    public Map<String, Provenance> instanceProvenances() {
        Map<String, Provenance> out = new LinkedHashMap<>();
        instances.forEach((path, info) -> out.put(path, info.provenance()));
        return Collections.unmodifiableMap(out);
    }
}
