package dev.lathe.api;

import dev.lathe.frontend.elab.ElaborationOptions;
import dev.lathe.pass.PassStatement;
import java.nio.file.Path;
import java.util.List;

/**
 * What the CLI and the Maven plugin can say about loading a model: the graph to build
 * ({@code null} = {@code main}), extra pass statements appended after the file's own, whether to
 * bind weights, and the front end's options (root folder, weights override, limits).
 */
public record LoadOptions(String graphName, List<PassStatement> extraPasses, boolean bindWeights, ElaborationOptions elaboration) {
    public LoadOptions {
        extraPasses = List.copyOf(extraPasses);
    }

    public static LoadOptions defaults() {
        return new LoadOptions(null, List.of(), true, ElaborationOptions.defaults());
    }

    public LoadOptions withGraph(String name) {
        return new LoadOptions(name, extraPasses, bindWeights, elaboration);
    }

    public LoadOptions withExtraPasses(List<PassStatement> passes) {
        return new LoadOptions(graphName, passes, bindWeights, elaboration);
    }

    public LoadOptions withBindWeights(boolean bind) {
        return new LoadOptions(graphName, extraPasses, bind, elaboration);
    }

    public LoadOptions withWeights(Path file) {
        return new LoadOptions(graphName, extraPasses, bindWeights, elaboration.withWeightsOverride(file));
    }

    public LoadOptions withRoot(Path root) {
        return new LoadOptions(graphName, extraPasses, bindWeights, elaboration.withRoot(root));
    }
}
