package dev.lathe.cli;

import dev.lathe.api.Lathe;
import dev.lathe.api.LoadedModel;
import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.DiagnosticException;
import dev.lathe.interp.InputException;
import dev.lathe.ir.Graph;
import dev.lathe.pass.CalibrationFeeds;
import dev.lathe.pass.OutputError;
import dev.lathe.pass.OutputErrors;
import dev.lathe.pass.PipelineResult;
import dev.lathe.pass.ReportTable;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.io.Npy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "report", description = {
        "Run the pass pipeline and report per target: params, bytes and FLOPs before -> after, the error certificate,",
        "and why a target was skipped. With --calibration, also the measured output error against the uncompressed model."})
final class ReportCommand implements Callable<Integer> {
    @Mixin ModelOptions model;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the report as JSON to FILE")
    Path json;

    @Option(names = "--calibration", paramLabel = "FILE.npy",
            description = "calibration samples for one input: a batch of the input's rank, or a stack of inputs; used by "
                    + "lowrank(compensate = true) and to measure the output error")
    Path calibration;

    @Option(names = "--input", paramLabel = "NAME", description = "the input the calibration samples feed (default: the graph's only input)")
    String input;

    @Option(names = "--labels", paramLabel = "FILE.npy", description = "class labels [rows] of the calibration samples: report accuracy before and after")
    Path labels;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        if (calibration == null && (labels != null || input != null)) throw new UserError("--labels and --input need --calibration FILE.npy");
        LoadedModel loaded = Lathe.load(model.file, model.toLoadOptions());
        PrintWriter out = spec.commandLine().getOut();
        Warnings.print(spec.commandLine().getErr(), loaded.warnings());
        Graph original = Lathe.requireBound(loaded);

        List<Map<String, Tensor>> feeds = List.of();
        List<Map<String, Tensor>> expected = List.of();
        Tensor labelTensor = null;
        if (calibration != null) {
            try {
                feeds = CalibrationFeeds.split(original, input, read(calibration, "--calibration"));
                if (labels != null) labelTensor = OutputErrors.labels(read(labels, "--labels"));
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            // The uncompressed run checks the samples against the signature before any pass uses them.
            expected = runChecked(original, feeds);
        }
        PipelineResult result = Compression.apply(loaded, feeds);
        out.print(ReportTable.render(result.report()));

        List<OutputError> errors = List.of();
        if (calibration != null) {
            try {
                errors = OutputErrors.measure(original, expected, result.graph(), feeds, labelTensor);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            printErrors(out, errors, feeds);
        }
        if (json != null) {
            try {
                Path folder = json.toAbsolutePath().getParent();
                if (folder != null) java.nio.file.Files.createDirectories(folder);
                ReportJson.write(json, model.file, original.name(), result.report(), calibration, errors);
            } catch (IOException e) {
                throw new UserError("cannot write " + json + ": " + e.getMessage());
            }
            out.println("\nwrote " + json);
        }
        return LatheCommand.OK;
    }

    private static Tensor read(Path file, String option) {
        try {
            return Npy.read(file);
        } catch (IOException | RuntimeException e) {
            throw new UserError(option + ": cannot read " + file + ": " + e.getMessage());
        }
    }

    private static List<Map<String, Tensor>> runChecked(Graph graph, List<Map<String, Tensor>> feeds) {
        try {
            return OutputErrors.run(graph, feeds);
        } catch (InputException e) {
            var span = graph.inputs().isEmpty() ? dev.lathe.diag.SourceSpan.UNKNOWN : graph.inputs().getFirst().provenance().span();
            throw new DiagnosticException(Diagnostic.error(e.code(), span, "calibration samples: " + e.getMessage()));
        }
    }

    private void printErrors(PrintWriter out, List<OutputError> errors, List<Map<String, Tensor>> feeds) {
        long samples = 0;
        for (Map<String, Tensor> f : feeds) samples += f.values().iterator().next().dim(0);
        out.printf("%nmeasured on %d calibration sample%s (%s) against the uncompressed model:%n", samples, samples == 1 ? "" : "s", calibration);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"output", "max abs error", "relative L2 error", "top-1 agreement", "accuracy before -> after"});
        for (OutputError e : errors) {
            rows.add(new String[] {e.output(), num(e.maxAbs()), num(e.relativeL2()), e.top1Agreement() == null ? "-" : pct(e.top1Agreement()),
                    e.accuracyBefore() == null ? "-" : pct(e.accuracyBefore()) + " -> " + pct(e.accuracyAfter())});
        }
        int[] width = new int[rows.getFirst().length];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) line.append(r[i]).append(" ".repeat(width[i] - r[i].length() + 2));
            out.println(line.toString().stripTrailing());
        }
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }
}
