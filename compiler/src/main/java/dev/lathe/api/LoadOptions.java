package dev.lathe.api;

import dev.lathe.frontend.elab.ElaborationOptions;
import dev.lathe.pass.PassStatement;
import java.nio.file.Path;
import java.util.List;

/**
 * What the CLI and the Maven plugin can say about loading a model: the graph to build
 * ({@code null} = {@code main}), extra pass statements appended after the file's own, whether to
 * bind weights, the front end's options (root folder, weights override, limits), and whether the
 * file's own pass statements (its {@code passes} section and annotations) run at all: without them
 * only the extra statements do, e.g. to measure one pass alone on a model that declares several.
 */
public record LoadOptions(String graphName, List<PassStatement> extraPasses, boolean bindWeights, ElaborationOptions elaboration,
                          boolean modelPasses) {
    public LoadOptions {
        extraPasses = List.copyOf(extraPasses);
    }

    /** The file's own pass statements run, then {@code extraPasses}. */
    public LoadOptions(String graphName, List<PassStatement> extraPasses, boolean bindWeights, ElaborationOptions elaboration) {
        this(graphName, extraPasses, bindWeights, elaboration, true);
    }

    public static LoadOptions defaults() {
        return new LoadOptions(null, List.of(), true, ElaborationOptions.defaults());
    }

    public LoadOptions withModelPasses(boolean run) {
        return new LoadOptions(graphName, extraPasses, bindWeights, elaboration, run);
    }

    public LoadOptions withGraph(String name) {
        return new LoadOptions(name, extraPasses, bindWeights, elaboration, modelPasses);
    }

    public LoadOptions withExtraPasses(List<PassStatement> passes) {
        return new LoadOptions(graphName, passes, bindWeights, elaboration, modelPasses);
    }

    public LoadOptions withBindWeights(boolean bind) {
        return new LoadOptions(graphName, extraPasses, bind, elaboration, modelPasses);
    }

    public LoadOptions withWeights(Path file) {
        return new LoadOptions(graphName, extraPasses, bindWeights, elaboration.withWeightsOverride(file), modelPasses);
    }

    public LoadOptions withRoot(Path root) {
        return new LoadOptions(graphName, extraPasses, bindWeights, elaboration.withRoot(root), modelPasses);
    }
}
