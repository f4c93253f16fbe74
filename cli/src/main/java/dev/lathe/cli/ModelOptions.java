package dev.lathe.cli;

import dev.lathe.api.LoadOptions;
import dev.lathe.api.PassStatementText;
import dev.lathe.pass.PassStatement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options every model command shares (DESIGN.md §7). */
final class ModelOptions {
    @Parameters(index = "0", paramLabel = "FILE", description = "the .model file")
    Path file;

    @Option(names = "--graph", paramLabel = "NAME", description = "graph to use (default: main, or the only graph)")
    String graph;

    @Option(names = "--weights", paramLabel = "PATH", description = "weights file (.safetensors or .npz) overriding the model's `weights` declaration")
    Path weights;

    @Option(names = "--pass", paramLabel = "STATEMENT",
            description = "a pass statement appended to the pipeline, e.g. 'lowrank(rank = 64) on \"fc1.weight\"' (repeatable)")
    List<String> passes = new ArrayList<>();

    @Option(names = "--no-model-passes",
            description = "ignore the model's own passes section and pass annotations; only --pass statements run")
    boolean noModelPasses;

    @Option(names = "--root", paramLabel = "DIR",
            description = "folder that imports and weights must stay inside (default: the model file's folder)")
    Path root;

    LoadOptions toLoadOptions() {
        if (!Files.isRegularFile(file)) throw new UserError("no such file: " + file);
        LoadOptions options = LoadOptions.defaults().withGraph(graph);
        if (weights != null) options = options.withWeights(weights.toAbsolutePath().normalize());
        if (root != null) options = options.withRoot(root.toAbsolutePath().normalize());
        List<PassStatement> extra = new ArrayList<>();
        for (String text : passes) extra.add(PassStatementText.parse(text, "--pass", PassStatement.Origin.COMMAND_LINE));
        return options.withExtraPasses(extra).withModelPasses(!noModelPasses);
    }
}
