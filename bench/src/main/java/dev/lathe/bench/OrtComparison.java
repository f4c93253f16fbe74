package dev.lathe.bench;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.lathe.bench.onnx.OnnxWriter;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.kernels.Kernels;
import dev.lathe.runtime.model.CompiledModel;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * Latency of one inference, Lathe's compiled model ({@link #lathe}) against ONNX Runtime's CPU
 * provider ({@link #ort}) on the same graph with the same weights and inputs, at the same thread
 * count. Sample-time mode: JMH reports the mean and the percentiles (p0.50 is the median) of single
 * calls. Setup fails unless both engines' outputs agree within abs 1e-5 + rel 1e-4 per element and
 * prints the differences ({@code agreement: ...}).
 *
 * <p>{@code model}: see {@link BenchModels#example}. {@code attention}: how the encoder's attention is
 * given to ORT, {@code decomposed} (standard ONNX operators) or {@code contrib} (ORT's fused
 * {@code com.microsoft.MultiHeadAttention}); it changes nothing for the other models.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class OrtComparison {
    @Param({"mlp_b1", "mlp_b64", "encoder_s128", "cnn_b1", "cnn_b16"})
    public String model;

    @Param({"1", "2"})
    public int threads;

    @Param({"decomposed"})
    public String attention;

    private Map<String, Tensor> inputs;
    private CompiledModel compiled;
    private OrtModel ort;

    @Setup(Level.Trial)
    public void setup(BenchmarkParams params) throws OrtException {
        BenchModels.Prepared prepared = BenchModels.example(model);
        inputs = prepared.inputs();
        compiled = prepared.compile(threads);
        ort = new OrtModel(prepared, threads, OnnxWriter.Attention.valueOf(attention.toUpperCase(Locale.ROOT)));
        Agreement agreement = Agreement.of(compiled.run(inputs), ort.outputs()).require(model + " lathe vs onnxruntime");
        System.out.println("kernels: " + Kernels.describe());
        System.out.println("agreement " + model + " threads=" + threads + " attention=" + attention + ": " + agreement);
        // Keep only the engine this benchmark times, so the other holds no threads or memory.
        if (params.getBenchmark().endsWith(".lathe")) {
            ort.close();
            ort = null;
        } else {
            compiled = null;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        if (ort != null) ort.close();
    }

    @Benchmark
    public Map<String, Tensor> lathe() {
        return compiled.run(inputs);
    }

    /** Outputs stay ORT's native tensors (not copied to Java), which only favours ORT. */
    @Benchmark
    public Object ort() throws OrtException {
        try (OrtSession.Result r = ort.run()) {
            return r.get(0);
        }
    }
}
