package dev.lathe.cli;

import dev.lathe.api.Lathe;
import dev.lathe.api.LoadedModel;
import dev.lathe.ir.Graph;
import dev.lathe.pass.PipelineResult;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.io.Npy;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "run", description = "Run a model on inputs from .npy files or on random inputs; print and optionally save the outputs.")
final class RunCommand implements Callable<Integer> {
    @Mixin ModelOptions model;

    @Option(names = "--in", paramLabel = "NAME=FILE.npy", description = "an input tensor (repeatable)")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--random", description = "use random inputs (floats ~ N(0, 1), ints in [0, 8))")
    boolean random;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "seed for --random (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--dim", paramLabel = "NAME=N", description = "size of a named dim for --random (default: 2, clamped into its bounds)")
    List<String> dims = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "write <output name>.npy for each output into DIR")
    Path out;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
            description = "execution backend: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: jvm when the JVM backend compiles every op of the graph, else interp)")
    Execution.Backend backend;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "threads for the jvm backend's kernels (default: ${DEFAULT-VALUE})")
    int threads;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        if (random == !inputs.isEmpty()) throw new UserError("give the inputs with --in NAME=FILE.npy, or --random (not both)");
        LoadedModel loaded = Lathe.load(model.file, model.toLoadOptions());
        PrintWriter stdout = spec.commandLine().getOut();
        Warnings.print(spec.commandLine().getErr(), loaded.warnings());
        // The planned passes rewrite the graph before it runs; targets they skip are warned about.
        PipelineResult compressed = Compression.apply(loaded, List.of());
        Compression.warnSkipped(spec.commandLine().getErr(), compressed);
        Graph graph = compressed.graph();
        Map<String, Tensor> feed = random
                ? RandomInputs.generate(graph, RandomInputs.dimValues(graph, DimOption.parse(dims)), seed)
                : Execution.readInputs(graph, inputs);
        if (threads < 1) throw new UserError("--threads must be at least 1");
        Execution.Runner runner = Execution.prepare(graph, Execution.stem(model.file), backend, threads, spec.commandLine().getErr());
        Map<String, Tensor> results = runner.run(feed);
        for (var e : results.entrySet()) stdout.println(TensorSummary.describe(e.getKey(), e.getValue()));
        if (out != null) writeOutputs(results);
        return LatheCommand.OK;
    }

    private void writeOutputs(Map<String, Tensor> results) {
        try {
            Files.createDirectories(out);
            for (var e : results.entrySet()) Npy.write(out.resolve(e.getKey() + ".npy"), e.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        spec.commandLine().getOut().println("wrote " + results.size() + " output" + (results.size() == 1 ? "" : "s") + " to " + out);
    }
}
