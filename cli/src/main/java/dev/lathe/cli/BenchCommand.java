package dev.lathe.cli;

import dev.lathe.api.Lathe;
import dev.lathe.api.LoadedModel;
import dev.lathe.ir.Graph;
import dev.lathe.pass.PipelineResult;
import dev.lathe.runtime.Tensor;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Latency of one model call: the same inputs as {@code lathe run}, {@code --warmup} untimed calls,
 * then {@code --runs} timed ones. The last line is exactly {@code median_us=<number> p90_us=<number>}
 * so that scripts can read it.
 */
@Command(name = "bench", description = "Measure a model's latency: warm-up calls, then median and p90 over timed calls.")
final class BenchCommand implements Callable<Integer> {
    @Mixin ModelOptions model;

    @Mixin ExecutionOptions exec;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "20", description = "untimed calls first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "50", description = "timed calls (default: ${DEFAULT-VALUE})")
    int runs;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        exec.validate();
        if (warmup < 0) throw new UserError("--warmup must not be negative");
        if (runs < 1) throw new UserError("--runs must be at least 1");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoadedModel loaded = Lathe.load(model.file, model.toLoadOptions());
        Warnings.print(err, loaded.warnings());
        PipelineResult compressed = Compression.apply(loaded, List.of());
        Compression.warnSkipped(err, compressed);
        Graph graph = compressed.graph();
        Map<String, Tensor> feed = exec.feed(graph);
        long compileStart = System.nanoTime();
        Execution.Runner runner = Execution.prepare(graph, Execution.stem(model.file), exec.backend, exec.threads, exec.device, err);
        double compileMs = (System.nanoTime() - compileStart) / 1e6;
        out.printf(Locale.ROOT, "model %s, graph %s, backend %s, threads %d%n", model.file.getFileName(), graph.name(), runner.backend(),
                runner.backend().equals("jvm") ? exec.threads : 1);
        for (var e : feed.entrySet()) out.printf("input %s: %s%s%n", e.getKey(), e.getValue().dtype().sourceName(), Arrays.toString(e.getValue().shape()));
        if (runner.backend().equals("jvm")) out.printf(Locale.ROOT, "compile: %.1f ms%n", compileMs);
        for (int i = 0; i < warmup; i++) runner.run(feed);
        long[] micros = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            runner.run(feed);
            micros[i] = (System.nanoTime() - t0) / 1000;
        }
        Arrays.sort(micros);
        double median = runs % 2 == 1 ? micros[runs / 2] : (micros[runs / 2 - 1] + micros[runs / 2]) / 2.0;
        // p90 by the nearest-rank method: the smallest time at least 90% of the runs do not exceed.
        long p90 = micros[Math.max(0, (int) Math.ceil(0.9 * runs) - 1)];
        out.printf(Locale.ROOT, "warmup %d, runs %d: min %d us, max %d us%n", warmup, runs, micros[0], micros[runs - 1]);
        out.printf(Locale.ROOT, "median_us=%.1f p90_us=%d%n", median, p90);
        return LatheCommand.OK;
    }
}
