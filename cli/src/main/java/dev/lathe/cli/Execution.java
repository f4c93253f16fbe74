package dev.lathe.cli;

import dev.lathe.api.CompileOptions;
import dev.lathe.api.Lathe;
import dev.lathe.backend.jvm.JvmCompiler;
import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.DiagnosticException;
import dev.lathe.diag.ErrorCode;
import dev.lathe.diag.SourceSpan;
import dev.lathe.interp.InputException;
import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphInput;
import dev.lathe.lower.UnsupportedOpException;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.model.CompiledModel;
import dev.lathe.runtime.model.ModelInputException;
import dev.lathe.runtime.model.ModelRunException;
import java.io.PrintWriter;
import java.util.Map;

/**
 * How {@code lathe run} and {@code lathe bench} execute a graph: in the reference interpreter or
 * compiled by the JVM backend. {@code auto} (the default) compiles when the JVM backend supports
 * every op of the graph and otherwise runs the interpreter, saying why on stderr; {@code jvm} makes
 * an unsupported op an error. {@code opencl} renders the Kernel IR to OpenCL C and runs it on OpenCL
 * device {@code --device N} (module lathe-gpu); an op it does not render, or a machine without an
 * OpenCL platform, is a user error.
 */
final class Execution {
    enum Backend { auto, jvm, interp, opencl }

    /** A graph ready to run on inputs by name. */
    interface Runner {
        Map<String, Tensor> run(Map<String, Tensor> inputs);

        /** {@code jvm} or {@code interp}. */
        String backend();
    }

    private Execution() {}

    static Runner prepare(Graph graph, String modelStem, Backend backend, int threads, PrintWriter err) {
        return prepare(graph, modelStem, backend, threads, -1, err);
    }

    static Runner prepare(Graph graph, String modelStem, Backend backend, int threads, int device, PrintWriter err) {
        if (backend == Backend.interp) return interpreter(graph);
        if (backend == Backend.opencl) return opencl(graph, device);
        try {
            CompiledModel model = Lathe.compile(graph, JvmCompiler.className(modelStem, graph.name()), CompileOptions.defaults().withThreads(threads));
            return new Runner() {
                public Map<String, Tensor> run(Map<String, Tensor> inputs) {
                    try {
                        return model.run(inputs);
                    } catch (ModelInputException e) {
                        throw new DiagnosticException(Diagnostic.error(ErrorCode.valueOf(e.code()), spanOfInput(graph, e.input()), e.getMessage()));
                    } catch (ModelRunException e) {
                        throw new UserError("run-time error: " + e.getMessage());
                    }
                }

                public String backend() {
                    return "jvm";
                }
            };
        } catch (UnsupportedOpException e) {
            if (backend == Backend.jvm) throw new UserError(e.getMessage() + "; run it with --backend interp");
            err.println("note: running in the interpreter: " + e.getMessage());
            return interpreter(graph);
        }
    }

    private static Runner opencl(Graph graph, int device) {
        dev.lathe.gpu.OpenClModel model;
        try {
            model = new dev.lathe.gpu.OpenClModel(dev.lathe.lower.Lowering.lower(graph), dev.lathe.gpu.OpenClDevice.open(device));
        } catch (UnsupportedOpException e) {
            throw new UserError(e.getMessage().replace("; use --backend jvm or auto", "") + "; run it with --backend jvm or auto");
        } catch (dev.lathe.gpu.OpenClException e) {
            throw new UserError(e.getMessage());
        }
        return new Runner() {
            public Map<String, Tensor> run(Map<String, Tensor> inputs) {
                try {
                    return model.run(inputs);
                } catch (IllegalArgumentException e) {
                    throw new UserError("input error: " + e.getMessage());
                } catch (dev.lathe.gpu.OpenClException e) {
                    throw new UserError(e.getMessage());
                }
            }

            public String backend() {
                return "opencl";
            }
        };
    }

    private static Runner interpreter(Graph graph) {
        return new Runner() {
            public Map<String, Tensor> run(Map<String, Tensor> inputs) {
                try {
                    return Interpreter.run(graph, inputs);
                } catch (InputException e) {
                    throw new DiagnosticException(Diagnostic.error(e.code(), spanOfInput(graph, e.input()), e.getMessage()));
                }
            }

            public String backend() {
                return "interp";
            }
        };
    }

    /** Points a run-time input error at the declaration of the input at fault (the graph's first input for an unknown name). */
    static SourceSpan spanOfInput(Graph graph, String input) {
        for (GraphInput in : graph.inputs()) {
            if (in.name().equals(input)) return in.provenance().span();
        }
        return graph.inputs().isEmpty() ? SourceSpan.UNKNOWN : graph.inputs().getFirst().provenance().span();
    }

    /** The tensors of {@code --in NAME=FILE.npy} options (E0606 when one cannot be read). */
    static Map<String, Tensor> readInputs(Graph graph, java.util.List<String> specs) {
        Map<String, Tensor> feed = new java.util.LinkedHashMap<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq <= 0) throw new UserError("--in expects NAME=FILE.npy, got '" + spec + "'");
            String name = spec.substring(0, eq);
            java.nio.file.Path file = java.nio.file.Path.of(spec.substring(eq + 1));
            try {
                feed.put(name, dev.lathe.runtime.io.Npy.read(file));
            } catch (java.io.IOException | RuntimeException e) {
                throw new DiagnosticException(Diagnostic.error(ErrorCode.E0606, spanOfInput(graph, name),
                        "input " + name + ": cannot read " + file + ": " + e.getMessage()));
            }
        }
        return feed;
    }

    /** The model file name without {@code .model}. */
    static String stem(java.nio.file.Path file) {
        return file.getFileName().toString().replaceFirst("\\.model$", "");
    }
}
