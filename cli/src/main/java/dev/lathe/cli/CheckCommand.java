package dev.lathe.cli;

import dev.lathe.api.Lathe;
import dev.lathe.api.LoadedModel;
import dev.lathe.ir.Graph;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "check", description = "Run the whole front end: parse, resolve, type-check, bind and validate weights, resolve passes.")
final class CheckCommand implements Callable<Integer> {
    @Mixin ModelOptions model;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        LoadedModel loaded = Lathe.load(model.file, model.toLoadOptions());
        Warnings.print(spec.commandLine().getErr(), loaded.warnings());
        Graph g = loaded.graph();
        spec.commandLine().getOut().printf("%s: ok: graph %s, %d input%s, %d output%s, %d params%s, %d pass target%s%n",
                model.file, g.name(), g.inputs().size(), plural(g.inputs().size()), g.outputs().size(), plural(g.outputs().size()),
                g.params().size(), g.isBound() ? " bound" : "", loaded.plan().passes().size(), plural(loaded.plan().passes().size()));
        return LatheCommand.OK;
    }

    private static String plural(int n) {
        return n == 1 ? "" : "s";
    }
}
