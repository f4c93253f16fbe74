package dev.lathe.cli;

import dev.lathe.api.Lathe;
import dev.lathe.api.LoadedModel;
import dev.lathe.backend.jvm.JvmCompiler;
import dev.lathe.ir.Graph;
import dev.lathe.lower.LowerOptions;
import dev.lathe.lower.UnsupportedOpException;
import dev.lathe.pass.PipelineResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Compiles a model's graph with the JVM backend into {@code DIR}: the class file, a safetensors file
 * with the weights it reads, and a small descriptor ({@code .lathe}) that
 * {@code dev.lathe.runtime.model.CompiledModel.load} reads back.
 */
@Command(name = "compile", description = "Compile a model to a JVM class file, its weights (.safetensors) and a descriptor (.lathe).")
final class CompileCommand implements Callable<Integer> {
    @Mixin ModelOptions model;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "folder to write into (created if needed)")
    Path out;

    @Option(names = "--name", paramLabel = "CLASS", description = "simple name of the generated class (default: from the model file and graph)")
    String name;

    @Option(names = "--print-kernels", description = "also print the Kernel IR")
    boolean printKernels;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoadedModel loaded = Lathe.load(model.file, model.toLoadOptions());
        Warnings.print(err, loaded.warnings());
        PipelineResult compressed = Compression.apply(loaded, List.of());
        Compression.warnSkipped(err, compressed);
        Graph graph = compressed.graph();
        String className = name != null ? name : JvmCompiler.className(Execution.stem(model.file), graph.name());
        if (!className.matches("[A-Za-z_$][A-Za-z0-9_$]*")) throw new UserError("--name " + className + " is not a Java class name");
        JvmCompiler.Written written;
        try {
            if (printKernels) stdout.print(dev.lathe.lower.KernelPrinter.print(dev.lathe.lower.Lowering.lower(graph, LowerOptions.defaults())));
            written = JvmCompiler.write(graph, className, LowerOptions.defaults(), out);
        } catch (UnsupportedOpException e) {
            throw new UserError(e.getMessage());
        }
        stdout.println("wrote " + written.classFile());
        stdout.println("wrote " + written.weights());
        stdout.println("wrote " + written.descriptor());
        return LatheCommand.OK;
    }
}
