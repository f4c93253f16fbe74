package dev.lathe.backend.jvm;

import dev.lathe.ir.Graph;
import dev.lathe.lower.KernelProgram;
import dev.lathe.lower.LowerOptions;
import dev.lathe.lower.Lowering;
import dev.lathe.runtime.io.SafetensorsWriter;
import dev.lathe.runtime.model.CompiledModel;
import dev.lathe.runtime.model.ModelSpec;
import dev.lathe.runtime.model.RunOptions;
import dev.lathe.runtime.model.WeightSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Graph to running model, the two ways: {@link #compile} (in memory: a hidden class, weights
 * referenced from the graph) and {@link #write} (files: the class, a safetensors file of the weights
 * and the descriptor, which {@link CompiledModel#load} reads back). Both generate the class through
 * the same {@link ClassSink}.
 */
public final class JvmCompiler {
    private JvmCompiler() {}

    /** The artifacts {@link #write} made. */
    public record Written(Path descriptor, Path classFile, Path weights, ModelSpec spec) {}

    public static CompiledModel compile(Graph bound, String simpleName, LowerOptions lowering, RunOptions run) {
        KernelProgram program = Lowering.lower(bound, lowering);
        ClassSink.Memory sink = new ClassSink.Memory();
        ModelSpec spec = JvmBackend.generate(program, simpleName, sink);
        return CompiledModel.define(spec, sink.bytes(), WeightSource.of(program.weights()), run);
    }

    /**
     * Writes {@code <simpleName>.class}, {@code <simpleName>.safetensors} (every weight the code reads,
     * under its param path) and {@code <simpleName>.lathe} into {@code dir}.
     */
    public static Written write(Graph bound, String simpleName, LowerOptions lowering, Path dir) throws IOException {
        KernelProgram program = Lowering.lower(bound, lowering);
        Files.createDirectories(dir);
        ModelSpec spec = JvmBackend.generate(program, simpleName, ClassSink.directory(dir));
        String weightsName = simpleName + ".safetensors";
        SafetensorsWriter.write(dir.resolve(weightsName), program.weights(), Map.of("format", "lathe", "graph", program.graphName()));
        spec = spec.withWeightsFile(weightsName);
        Path descriptor = dir.resolve(simpleName + CompiledModel.DESCRIPTOR_SUFFIX);
        Files.writeString(descriptor, spec.format(), StandardCharsets.UTF_8);
        return new Written(descriptor, dir.resolve(simpleName + ".class"), dir.resolve(weightsName), spec);
    }

    /** A class name from a model file and graph name: {@code tiny_encoder.model}, {@code main} gives {@code TinyEncoderMain}. */
    public static String className(String modelStem, String graph) {
        StringBuilder sb = new StringBuilder();
        for (String part : List.of(modelStem, graph)) {
            boolean upper = true;
            for (char ch : part.toCharArray()) {
                if (!Character.isLetterOrDigit(ch)) {
                    upper = true;
                    continue;
                }
                sb.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        if (sb.isEmpty() || !Character.isJavaIdentifierStart(sb.charAt(0))) sb.insert(0, 'M');
        return sb.toString();
    }
}
