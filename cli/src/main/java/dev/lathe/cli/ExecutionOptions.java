package dev.lathe.cli;

import dev.lathe.ir.Graph;
import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The inputs and the backend of a model call, shared by {@code run} and {@code bench}. */
final class ExecutionOptions {
    @Option(names = "--in", paramLabel = "NAME=FILE.npy", description = "an input tensor (repeatable)")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--random", description = "use random inputs (floats ~ N(0, 1), ints in [0, 8))")
    boolean random;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "seed for --random (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--dim", paramLabel = "NAME=N", description = "size of a named dim for --random (default: 2, clamped into its bounds)")
    List<String> dims = new ArrayList<>();

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
            description = "execution backend: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: jvm when the JVM backend compiles every op of the graph, else interp)")
    Execution.Backend backend;

    @Option(names = "--device", paramLabel = "N", defaultValue = "-1",
            description = "OpenCL device for --backend opencl: index over all devices of all platforms (default: the first GPU, else device 0)")
    int device;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "threads for the jvm backend's kernels (default: ${DEFAULT-VALUE})")
    int threads;

    /** Checks the options that do not need the model; call before loading it. */
    void validate() {
        if (random == !inputs.isEmpty()) throw new UserError("give the inputs with --in NAME=FILE.npy, or --random (not both)");
        if (threads < 1) throw new UserError("--threads must be at least 1");
    }

    /** The inputs for {@code graph}: read from the --in files or drawn for --random. */
    Map<String, Tensor> feed(Graph graph) {
        return random
                ? RandomInputs.generate(graph, RandomInputs.dimValues(graph, DimOption.parse(dims)), seed)
                : Execution.readInputs(graph, inputs);
    }
}
