package dev.lathe.bench;

import dev.lathe.api.CompileOptions;
import dev.lathe.api.Lathe;
import dev.lathe.api.LoadOptions;
import dev.lathe.api.LoadedModel;
import dev.lathe.backend.jvm.JvmCompiler;
import dev.lathe.ir.Graph;
import dev.lathe.pass.PassPipeline;
import dev.lathe.pass.PassStatement;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.model.CompiledModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The benchmarked models: a bundled example (or a generated {@code .model} file) loaded with its
 * weights, plus deterministic inputs. The same bound graph is compiled by Lathe and written as ONNX,
 * so both engines run the same computation on the same weights.
 *
 * <p>The examples are benchmarked as written, in f32, <em>without</em> the compression passes of
 * their {@code passes} sections (the encoder's asks for lowrank, int8 quantization and 2:4
 * sparsity): the ONNX Runtime comparison is dense f32 against dense f32. {@link #load} runs the pass
 * pipeline (for the lowrank benchmark).
 */
public final class BenchModels {
    private BenchModels() {}

    /** A model ready to compile: the graph after the pass pipeline, its class name, and its inputs. */
    public record Prepared(String key, Graph graph, String className, Map<String, Tensor> inputs) {
        public CompiledModel compile(int threads) {
            return Lathe.compile(graph, className, CompileOptions.defaults().withThreads(threads));
        }
    }

    /**
     * The repository root: {@code -Dlathe.root=DIR}, else the working directory or the nearest folder
     * above it that holds {@code examples/mlp/mlp.model} (JMH forks keep the working directory).
     */
    public static Path root() {
        String prop = System.getProperty("lathe.root");
        if (prop != null) return Path.of(prop).toAbsolutePath();
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("examples/mlp/mlp.model"))) return p;
        }
        throw new IllegalStateException("run the benchmarks from the Lathe repository (examples/mlp/mlp.model not found above "
                + Path.of("").toAbsolutePath() + "), or pass -Dlathe.root=DIR");
    }

    /**
     * A bundled example (dense f32, its passes section not applied) by benchmark key: {@code mlp_b<N>} (784-512-512-10, batch N),
     * {@code mlp_int8_b<N>} (the same MLP after {@code quantize(bits = 8) on "**.weight"}: int8 weights, f32 per-channel scales),
     * {@code cnn_b<N>} (small CNN on 1x28x28, batch N), {@code encoder_s<S>} (2-layer encoder, batch 1,
     * sequence S) or {@code encoder_b<B>_s<S>}.
     */
    public static Prepared example(String key) {
        Random random = new Random(0x1a7e + key.hashCode());
        String k = key.toLowerCase(Locale.ROOT);
        if (k.startsWith("mlp_int8_b")) {
            int b = Integer.parseInt(k.substring(10));
            List<PassStatement> int8 = List.of(dev.lathe.api.PassStatementText.parse("quantize(bits = 8) on \"**.weight\"", "<bench>",
                    PassStatement.Origin.COMMAND_LINE));
            return load(key, root().resolve("examples/mlp/mlp.model"), int8, Map.of("x", uniform(random, b, 784)));
        }
        if (k.startsWith("mlp_b")) {
            int b = Integer.parseInt(k.substring(5));
            return dense(key, root().resolve("examples/mlp/mlp.model"), Map.of("x", uniform(random, b, 784)));
        }
        if (k.startsWith("cnn_b")) {
            int b = Integer.parseInt(k.substring(5));
            return dense(key, root().resolve("examples/cnn/small_cnn.model"), Map.of("x", uniform(random, b, 1, 28, 28)));
        }
        if (k.startsWith("encoder_")) {
            int b = 1, s;
            String rest = k.substring(8);
            if (rest.startsWith("b")) {
                b = Integer.parseInt(rest.substring(1, rest.indexOf('_')));
                rest = rest.substring(rest.indexOf('_') + 1);
            }
            s = Integer.parseInt(rest.substring(1));
            return dense(key, root().resolve("examples/encoder/tiny_encoder.model"), Map.of("x", gaussian(random, b, s, 256)));
        }
        throw new IllegalArgumentException("unknown model key " + key + " (mlp_b<N>, cnn_b<N>, encoder_s<S>, encoder_b<B>_s<S>)");
    }

    /** Loads and binds a model; no pass runs (the file's {@code passes} section is ignored). */
    public static Prepared dense(String key, Path modelFile, Map<String, Tensor> inputs) {
        Graph graph = Lathe.requireBound(Lathe.load(modelFile, LoadOptions.defaults()));
        return new Prepared(key, graph, className(modelFile, graph), new LinkedHashMap<>(inputs));
    }

    /**
     * Loads, binds and runs the pass pipeline (the file's passes, then {@code extraPasses}), as
     * {@code Lathe.compile(Path, ...)} does.
     */
    public static Prepared load(String key, Path modelFile, List<PassStatement> extraPasses, Map<String, Tensor> inputs) {
        LoadedModel loaded = Lathe.load(modelFile, LoadOptions.defaults().withExtraPasses(extraPasses));
        Graph graph = PassPipeline.standard().run(Lathe.requireBound(loaded), loaded.plan()).graph();
        return new Prepared(key, graph, className(modelFile, graph), new LinkedHashMap<>(inputs));
    }

    private static String className(Path modelFile, Graph graph) {
        String stem = modelFile.getFileName().toString().replaceFirst("\\.model$", "");
        return JvmCompiler.className(stem, graph.name());
    }

    public static Tensor uniform(Random random, long... shape) {
        float[] data = new float[Math.toIntExact(Tensor.checkedSize(shape))];
        for (int i = 0; i < data.length; i++) data[i] = random.nextFloat();
        return Tensor.ofFloats(shape, data);
    }

    public static Tensor gaussian(Random random, long... shape) {
        float[] data = new float[Math.toIntExact(Tensor.checkedSize(shape))];
        for (int i = 0; i < data.length; i++) data[i] = (float) random.nextGaussian();
        return Tensor.ofFloats(shape, data);
    }
}
