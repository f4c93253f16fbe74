package dev.lathe.cli;

import dev.lathe.api.Lathe;
import dev.lathe.api.LoadedModel;
import dev.lathe.backend.jvm.JvmCompiler;
import dev.lathe.ir.Graph;
import dev.lathe.lower.LowerOptions;
import dev.lathe.lower.UnsupportedOpException;
import dev.lathe.pass.PipelineResult;
import dev.lathe.tornado.TornadoCompiler;
import dev.lathe.tornado.DimBindingException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Compiles a model's graph into {@code DIR}. With the JVM backend (default): the class file, a
 * safetensors file with the weights it reads, and a small descriptor ({@code .lathe}) that
 * {@code dev.lathe.runtime.model.CompiledModel.load} reads back. With {@code --backend tornadovm}: the
 * Java sources of a TornadoVM kernels class and host class (docs/tornadovm-backend.md) and the weights,
 * with every named dim fixed by {@code --dim}.
 */
@Command(name = "compile", description = "Compile a model to a JVM class file, its weights (.safetensors) and a descriptor (.lathe), "
        + "or with --backend tornadovm to TornadoVM Java sources and their weights.")
final class CompileCommand implements Callable<Integer> {
    enum Target { jvm, tornadovm }

    @Mixin ModelOptions model;

    @Option(names = {"--out", "-o"}, paramLabel = "DIR", required = true, description = "folder to write into (created if needed)")
    Path out;

    @Option(names = "--backend", paramLabel = "BACKEND", defaultValue = "jvm",
            description = "what to write: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); tornadovm writes Java sources for TornadoVM")
    Target backend;

    @Option(names = "--dim", paramLabel = "NAME=N", description = "with --backend tornadovm: the size of a named dim, fixed in the sources (repeatable)")
    List<String> dims = new ArrayList<>();

    @Option(names = "--package", paramLabel = "PKG", description = "with --backend tornadovm: the Java package of the sources (default: none)")
    String packageName;

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
        if (backend == Target.tornadovm) return tornado(graph, className, stdout);
        if (!dims.isEmpty() || packageName != null) throw new UserError("--dim and --package apply to --backend tornadovm only");
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

    private int tornado(Graph graph, String className, PrintWriter stdout) throws IOException {
        String pkg = packageName == null ? "" : packageName;
        if (!pkg.isEmpty() && !pkg.matches("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*")) {
            throw new UserError("--package " + pkg + " is not a Java package name");
        }
        TornadoCompiler.Written written;
        try {
            written = TornadoCompiler.write(graph, pkg, className, DimOption.parse(dims), LowerOptions.defaults(), out);
        } catch (UnsupportedOpException e) {
            throw new UserError(e.getMessage());
        } catch (DimBindingException e) {
            throw new UserError(e.getMessage());
        }
        stdout.println("wrote " + written.kernels());
        stdout.println("wrote " + written.host());
        stdout.println("wrote " + written.weights());
        return LatheCommand.OK;
    }
}
