package dev.lathe.cli;

import dev.lathe.api.Lathe;
import dev.lathe.api.LoadedModel;
import dev.lathe.ir.IrPrinter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "ir", description = "Print the typed Graph IR of a model.")
final class IrCommand implements Callable<Integer> {
    @Mixin ModelOptions model;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        LoadedModel loaded = Lathe.load(model.file, model.toLoadOptions().withBindWeights(false));
        Warnings.print(spec.commandLine().getErr(), loaded.warnings());
        spec.commandLine().getOut().print(IrPrinter.print(loaded.graph()));
        return LatheCommand.OK;
    }
}
