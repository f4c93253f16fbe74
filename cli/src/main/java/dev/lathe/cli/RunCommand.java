package dev.lathe.cli;

import dev.lathe.api.Lathe;
import dev.lathe.api.LoadedModel;
import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.DiagnosticException;
import dev.lathe.diag.ErrorCode;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphInput;
import dev.lathe.interp.InputException;
import dev.lathe.interp.Interpreter;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.io.Npy;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "interp",
            description = "execution backend: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Backend backend;

    @Spec CommandSpec spec;

    enum Backend { interp }

    @Override
    public Integer call() {
        if (random == !inputs.isEmpty()) throw new UserError("give the inputs with --in NAME=FILE.npy, or --random (not both)");
        LoadedModel loaded = Lathe.load(model.file, model.toLoadOptions());
        PrintWriter stdout = spec.commandLine().getOut();
        Warnings.print(spec.commandLine().getErr(), loaded.warnings());
        if (!loaded.plan().isEmpty()) {
            spec.commandLine().getErr().printf("warning: %d pass target%s planned; pass rewrites are not implemented in this version, so the model runs uncompressed%n",
                    loaded.plan().passes().size(), loaded.plan().passes().size() == 1 ? "" : "s");
        }
        Graph graph = Lathe.requireBound(loaded);
        Map<String, Tensor> feed = random
                ? RandomInputs.generate(graph, RandomInputs.dimValues(graph, DimOption.parse(dims)), seed)
                : readInputs(graph);
        Map<String, Tensor> results;
        try {
            results = Interpreter.run(graph, feed);
        } catch (InputException e) {
            throw new DiagnosticException(Diagnostic.error(e.code(), spanOfInput(graph, e.getMessage()), e.getMessage()));
        }
        for (var e : results.entrySet()) stdout.println(TensorSummary.describe(e.getKey(), e.getValue()));
        if (out != null) writeOutputs(results);
        return LatheCommand.OK;
    }

    private Map<String, Tensor> readInputs(Graph graph) {
        Map<String, Tensor> feed = new LinkedHashMap<>();
        for (String spec : inputs) {
            int eq = spec.indexOf('=');
            if (eq <= 0) throw new UserError("--in expects NAME=FILE.npy, got '" + spec + "'");
            String name = spec.substring(0, eq);
            Path file = Path.of(spec.substring(eq + 1));
            try {
                feed.put(name, Npy.read(file));
            } catch (IOException | RuntimeException e) {
                throw new DiagnosticException(Diagnostic.error(ErrorCode.E0606, spanOfInput(graph, name),
                        "input " + name + ": cannot read " + file + ": " + e.getMessage()));
            }
        }
        return feed;
    }

    /** Points a run-time input error at the input's declaration when the message names one. */
    private static dev.lathe.diag.SourceSpan spanOfInput(Graph graph, String text) {
        for (GraphInput in : graph.inputs()) {
            if (text.equals(in.name()) || text.contains("input " + in.name()) || text.contains("'" + in.name() + "'")) return in.provenance().span();
        }
        return graph.inputs().isEmpty() ? dev.lathe.diag.SourceSpan.UNKNOWN : graph.inputs().getFirst().provenance().span();
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
