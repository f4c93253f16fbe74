package dev.lathe.cli;

import dev.lathe.api.Lathe;
import dev.lathe.api.LoadedModel;
import dev.lathe.ir.IrPrinter;
import dev.lathe.pass.PassRegistry;
import dev.lathe.pass.PipelineResult;
import dev.lathe.pass.PipelineStage;
import dev.lathe.pass.TargetReport;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "ir", description = "Print the typed Graph IR of a model, as elaborated or after passes.")
final class IrCommand implements Callable<Integer> {
    static final String ALL = "all";

    @Mixin ModelOptions model;

    @Option(names = "--after", paramLabel = "PASS|all",
            description = "run the pass pipeline and print the IR after each run of PASS, or after every pass with 'all' (needs the weights)")
    String after;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (after == null) {
            // Without passes nothing needs the weights: print the graph as elaborated.
            LoadedModel loaded = Lathe.load(model.file, model.toLoadOptions().withBindWeights(false));
            Warnings.print(spec.commandLine().getErr(), loaded.warnings());
            out.print(IrPrinter.print(loaded.graph()));
            return LatheCommand.OK;
        }
        if (!after.equals(ALL) && PassRegistry.standard().lookup(after).isEmpty()) {
            throw new UserError("--after " + after + ": no such pass; use one of " + String.join(", ", PassRegistry.standard().names()) + " or all");
        }
        LoadedModel loaded = Lathe.load(model.file, model.toLoadOptions());
        Warnings.print(spec.commandLine().getErr(), loaded.warnings());
        PipelineResult result = Compression.apply(loaded, List.of());
        Compression.warnSkipped(spec.commandLine().getErr(), result);
        List<PipelineStage> stages = result.stages().stream().filter(s -> after.equals(ALL) || s.pass().equals(after)).toList();
        if (stages.isEmpty()) {
            List<String> planned = result.stages().stream().map(PipelineStage::pass).distinct().toList();
            throw new UserError("--after " + after + ": the pipeline " + (planned.isEmpty()
                    ? "is empty (add a passes section, an annotation or --pass)"
                    : "runs only " + String.join(", ", planned)));
        }
        for (int i = 0; i < stages.size(); i++) {
            PipelineStage s = stages.get(i);
            if (i > 0) out.println();
            long applied = s.entries().stream().filter(TargetReport::applied).count();
            out.printf("// after %s (stage %d of %d): %d applied, %d skipped%n", s.pass(), s.index(), result.stages().size(), applied,
                    s.entries().size() - applied);
            out.print(IrPrinter.print(s.graph()));
        }
        return LatheCommand.OK;
    }
}
