package dev.lathe.api;

import dev.lathe.diag.Diagnostic;
import dev.lathe.frontend.elab.ElaboratedModel;
import dev.lathe.ir.Graph;
import dev.lathe.pass.PassPlan;
import java.util.List;

/**
 * A model through the whole front end: elaborated, its weights bound (when asked and declared),
 * its pass statements resolved into a plan. {@code graph} is bound when {@link Graph#isBound()}.
 */
public record LoadedModel(ElaboratedModel elaborated, Graph graph, PassPlan plan, List<Diagnostic> warnings) {
    public LoadedModel {
        warnings = List.copyOf(warnings);
    }
}
