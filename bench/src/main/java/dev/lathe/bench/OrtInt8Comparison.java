package dev.lathe.bench;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.lathe.bench.onnx.OnnxWriter;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.model.CompiledModel;
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
 * The int8 MLP (784-512-512-10 after {@code quantize(bits = 8) on "**.weight"}: int8 weights with f32
 * per-channel scales) in Lathe and in ONNX Runtime on the same integer weights and scales:
 * {@link #lathe} (the compiled model; its weights are dequantized once at compile time, f32 GEMM),
 * {@link #ortQdq} (weight-only QDQ: DequantizeLinear + MatMul) and {@link #ortDynamic} (what ORT's
 * {@code quantize_dynamic} emits: DynamicQuantizeLinear + MatMulInteger, int8 x int8). Setup requires
 * the QDQ model to agree with Lathe within abs 1e-5 + rel 1e-4 per element (the same function), and
 * prints how far the dynamic model's 8-bit activations move the logits ({@code agreement ...}).
 * Sample-time mode, like {@link OrtComparison}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class OrtInt8Comparison {
    @Param({"1", "64"})
    public int batch;

    @Param({"1"})
    public int threads;

    private Map<String, Tensor> inputs;
    private CompiledModel compiled;
    private OrtModel ort;

    @Setup(Level.Trial)
    public void setup(BenchmarkParams params) throws OrtException {
        BenchModels.Prepared prepared = BenchModels.example("mlp_int8_b" + batch);
        inputs = prepared.inputs();
        compiled = prepared.compile(threads);
        Map<String, Tensor> lathe = compiled.run(inputs);
        OrtModel qdq = new OrtModel(prepared, threads, OnnxWriter.toBytes(prepared.graph(), OnnxWriter.Attention.DECOMPOSED, OnnxWriter.Int8.QDQ), "qdq");
        OrtModel dynamic = new OrtModel(prepared, threads, OnnxWriter.toBytes(prepared.graph(), OnnxWriter.Attention.DECOMPOSED,
                OnnxWriter.Int8.DYNAMIC), "dynamic");
        System.out.println("agreement qdq batch=" + batch + ": " + Agreement.of(lathe, qdq.outputs()).require("lathe int8 vs onnxruntime qdq"));
        System.out.println("agreement dynamic (8-bit activations) batch=" + batch + ": " + Agreement.of(lathe, dynamic.outputs()));
        // Keep only the engine this benchmark times.
        String benchmark = params.getBenchmark();
        if (benchmark.endsWith(".lathe")) {
            qdq.close();
            dynamic.close();
        } else {
            compiled = null;
            ort = benchmark.endsWith(".ortQdq") ? qdq : dynamic;
            (ort == qdq ? dynamic : qdq).close();
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

    @Benchmark
    public Object ortQdq() throws OrtException {
        try (OrtSession.Result r = ort.run()) {
            return r.get(0);
        }
    }

    @Benchmark
    public Object ortDynamic() throws OrtException {
        try (OrtSession.Result r = ort.run()) {
            return r.get(0);
        }
    }
}
