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

    @Mixin ExecutionOptions exec;

    @Option(names = "--out", paramLabel = "DIR", description = "write <output name>.npy for each output into DIR")
    Path out;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        exec.validate();
        LoadedModel loaded = Lathe.load(model.file, model.toLoadOptions());
        PrintWriter stdout = spec.commandLine().getOut();
        Warnings.print(spec.commandLine().getErr(), loaded.warnings());
        // The planned passes rewrite the graph before it runs; targets they skip are warned about.
        PipelineResult compressed = Compression.apply(loaded, List.of());
        Compression.warnSkipped(spec.commandLine().getErr(), compressed);
        Graph graph = compressed.graph();
        Map<String, Tensor> feed = exec.feed(graph);
        Execution.Runner runner = Execution.prepare(graph, Execution.stem(model.file), exec.backend, exec.threads, exec.device, spec.commandLine().getErr());
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
