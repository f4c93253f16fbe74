package dev.lathe.bench;

import dev.lathe.api.PassStatementText;
import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Node;
import dev.lathe.pass.PassStatement;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.io.SafetensorsWriter;
import dev.lathe.runtime.model.CompiledModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * What {@code lowrank} buys on the JVM backend: one linear layer y = x W^T + b with W [n, n], compiled
 * {@link #dense} and after {@code lowrank(rank = r)} ({@link #lowrank}: two GEMMs through an [B, r]
 * intermediate). The FLOP reduction is {@code 1 - r(m + n) / (m n)}; the target is a wall-clock time
 * reduction {@code 1 - t_lowrank / t_dense} of at least 70% of it. The model file and its weights
 * (seeded Gaussian, 1/sqrt(n) scaled) are written to a temporary folder by the setup. Setup checks
 * that the pass produced a rank-r {@code lowrank_linear} and that each compiled model agrees with
 * the interpreter on its own graph within abs 1e-5 + rel 1e-4.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class LowRankBench {
    @Param({"512", "1024"})
    public int n;

    @Param({"1", "64"})
    public int batch;

    @Param({"128"})
    public int rank;

    @Param({"1"})
    public int threads;

    private Path dir;
    private Map<String, Tensor> inputs;
    private CompiledModel model;

    @Setup(Level.Trial)
    public void setup(BenchmarkParams params) throws IOException {
        dir = Files.createTempDirectory("lathe-bench-lowrank");
        Path file = writeModel(dir, n, 42);
        inputs = Map.of("x", BenchModels.gaussian(new Random(7), batch, n));
        boolean factored = params.getBenchmark().endsWith(".lowrank");
        List<PassStatement> passes = factored
                ? List.of(PassStatementText.parse("lowrank(rank = " + rank + ") on \"fc.weight\"", "<bench>", PassStatement.Origin.COMMAND_LINE))
                : List.of();
        BenchModels.Prepared prepared = BenchModels.load("linear_" + n, file, passes, inputs);
        long lowRankNodes = prepared.graph().nodes().stream()
                .filter(x -> x instanceof Node.LowRankLinear l && l.rank() == rank).count();
        if (lowRankNodes != (factored ? 1 : 0)) {
            throw new IllegalStateException("expected " + (factored ? "one" : "no") + " rank-" + rank + " lowrank_linear, graph has "
                    + prepared.graph().nodes().stream().map(Node::opName).toList());
        }
        model = prepared.compile(threads);
        Map<String, float[]> reference = new LinkedHashMap<>();
        Interpreter.run(prepared.graph(), inputs).forEach((name, t) -> reference.put(name, t.toFloatArray()));
        Agreement a = Agreement.of(model.run(inputs), reference).require("linear " + n + " lathe vs interpreter");
        double flopReduction = 1.0 - (double) rank * (n + n) / ((double) n * n);
        System.out.printf(Locale.ROOT, "linear %dx%d batch %d %s: FLOP reduction of rank %d = %.4f; agreement with the interpreter: %s%n",
                n, n, batch, factored ? "lowrank" : "dense", rank, flopReduction, a);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (dir == null) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** {@code linear.model} with one Linear(n -> n) named "fc" and its weights, deterministic in {@code seed}. */
    static Path writeModel(Path dir, int n, long seed) throws IOException {
        Random random = new Random(seed);
        float[] w = new float[n * n], b = new float[n];
        double scale = 1.0 / Math.sqrt(n);
        for (int i = 0; i < w.length; i++) w[i] = (float) (random.nextGaussian() * scale);
        for (int i = 0; i < n; i++) b[i] = (float) (random.nextGaussian() * 0.1);
        Map<String, Tensor> weights = new LinkedHashMap<>();
        weights.put("fc.weight", Tensor.ofFloats(new long[] {n, n}, w));
        weights.put("fc.bias", Tensor.ofFloats(new long[] {n}, b));
        SafetensorsWriter.write(dir.resolve("linear.safetensors"), weights, Map.of());
        Path model = dir.resolve("linear.model");
        Files.writeString(model, """
                // One n x n linear layer, written by dev.lathe.bench.LowRankBench.
                model linear version 1;
                import std.nn.*;

                dim B in 1..1024;

                weights "linear.safetensors";

                graph main(x: f32[B, %d]) -> (y: f32[B, %d]) {
                  return Linear(x, out = %d) named "fc";
                }
                """.formatted(n, n, n));
        return model;
    }

    @Benchmark
    public Map<String, Tensor> dense() {
        return model.run(inputs);
    }

    @Benchmark
    public Map<String, Tensor> lowrank() {
        return model.run(inputs);
    }
}
