package dev.lathe.tornado;

import dev.lathe.ir.Graph;
import dev.lathe.lower.KernelProgram;
import dev.lathe.lower.LowerOptions;
import dev.lathe.lower.Lowering;
import dev.lathe.runtime.io.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Graph to files for TornadoVM ({@code lathe compile --backend tornadovm}): the kernels and host sources
 * under {@code dir} (in their package folders) and {@code <className>.safetensors} with the weights the
 * host class reads. Compile them with javac against tornado-api and lathe-runtime; run them with TornadoVM.
 */
public final class TornadoCompiler {
    private TornadoCompiler() {}

    public record Written(Path kernels, Path host, Path weights, EmittedSources sources) {}

    /** Throws {@link dev.lathe.lower.UnsupportedOpException} for what the backend refuses, IllegalArgumentException for unbound dims. */
    public static Written write(Graph graph, String packageName, String className, Map<String, Long> dims, LowerOptions options, Path dir) throws IOException {
        KernelProgram program = Lowering.lower(graph, options);
        EmittedSources src = TornadoEmitter.emit(program, dims, packageName, className);
        Files.createDirectories(dir);
        List<Path> files = src.writeTo(dir);
        Path weights = dir.resolve(className + ".safetensors");
        SafetensorsWriter.write(weights, program.weights(), Map.of("format", "lathe", "graph", program.graphName(), "backend", "tornadovm"));
        return new Written(files.get(0), files.get(1), weights, src);
    }
}
