package dev.lathe.gpu;

import static org.quicktheories.QuickTheory.qt;

import dev.lathe.api.CompileOptions;
import dev.lathe.api.Lathe;
import dev.lathe.api.LoadOptions;
import dev.lathe.backend.jvm.ClassSink;
import dev.lathe.backend.jvm.JvmBackend;
import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Dim;
import dev.lathe.ir.Graph;
import dev.lathe.lower.Buffer;
import dev.lathe.lower.Kernel;
import dev.lathe.lower.KernelProgram;
import dev.lathe.lower.LowerOptions;
import dev.lathe.lower.Lowering;
import dev.lathe.lower.UnsupportedOpException;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.model.CompiledModel;
import dev.lathe.runtime.model.ModelSpec;
import dev.lathe.runtime.model.RunOptions;
import dev.lathe.runtime.model.WeightPacking;
import dev.lathe.runtime.model.WeightSource;
import dev.lathe.testkit.GraphConfig;
import dev.lathe.testkit.GraphGens;
import dev.lathe.testkit.OpSets;
import dev.lathe.testkit.TensorAssertions;
import dev.lathe.testkit.Tolerance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The device check behind {@code bench/gpu-check.sh}: on OpenCL device {@code --device N} (default:
 * the first GPU, else device 0), the differential checks against the interpreter (the mlp, cnn and encoder
 * examples and random graphs with a fixed seed), then a 1024³ GEMM, the encoder example at batch 32, seq 128
 * and the cnn at batch 64, timed against the JVM backend; prints one summary table. Exit status 0 when every check passed.
 * Arguments: {@code [--device N] [--graphs N] [--runs N] [--root DIR]}.
 */
public final class GpuCheck {
    private GpuCheck() {}

    private record Row(String what, String opencl, String jvm, String note) {}

    public static void main(String[] args) throws Exception {
        int device = -1, graphs = 200, runs = 10;
        Path root = Path.of("").toAbsolutePath();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--device" -> device = Integer.parseInt(args[++i]);
                case "--graphs" -> graphs = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--root" -> root = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: GpuCheck [--device N] [--graphs N] [--runs N] [--root DIR]");
                    System.exit(2);
                }
            }
        }
        List<OpenClDevice.Info> devices;
        try {
            devices = OpenClDevice.list();
        } catch (OpenClException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("OpenCL devices:");
        devices.forEach(d -> System.out.println("  " + d));
        List<Row> rows = new ArrayList<>();
        boolean ok = true;
        try (OpenClDevice dev = OpenClDevice.open(device)) {
            System.out.println("using " + dev.info());
            // 1. differential checks
            Graph mlp = load(root, "examples/mlp/mlp.model");
            try (OpenClModel m = new OpenClModel(Lowering.lower(mlp), dev)) {
                List<String> diffs = new ArrayList<>();
                for (long batch : new long[] {1, 7, 32}) {
                    Map<String, Tensor> in = random(mlp, batch, 5, batch);
                    diffs.addAll(TensorAssertions.differences(Interpreter.run(mlp, in), m.run(in), Tolerance.DEFAULT));
                }
                ok &= diffs.isEmpty();
                rows.add(new Row("diff: mlp example vs interpreter", diffs.isEmpty() ? "PASS" : "FAIL", "", diffs.isEmpty() ? "batch 1, 7, 32" : diffs.getFirst()));
            }
            Graph cnn = load(root, "examples/cnn/small_cnn.model");
            try (OpenClModel m = new OpenClModel(Lowering.lower(cnn), dev)) {
                List<String> diffs = new ArrayList<>();
                for (long batch : new long[] {1, 3, 16}) {
                    Map<String, Tensor> in = random(cnn, batch, 1, 100 + batch);
                    diffs.addAll(TensorAssertions.differences(Interpreter.run(cnn, in), m.run(in), Tolerance.DEFAULT));
                }
                ok &= diffs.isEmpty();
                rows.add(new Row("diff: cnn example vs interpreter", diffs.isEmpty() ? "PASS" : "FAIL", "", diffs.isEmpty() ? "batch 1, 3, 16" : diffs.getFirst()));
            }
            Graph encoder = load(root, "examples/encoder/tiny_encoder.model");
            try (OpenClModel m = new OpenClModel(Lowering.lower(encoder), dev)) {
                List<String> diffs = new ArrayList<>();
                for (long batch : new long[] {1, 2}) {
                    for (long seq : new long[] {8, 16}) {
                        Map<String, Tensor> in = random(encoder, batch, seq, 10 * batch + seq);
                        diffs.addAll(TensorAssertions.differences(Interpreter.run(encoder, in), m.run(in), Tolerance.DEFAULT));
                    }
                }
                ok &= diffs.isEmpty();
                rows.add(new Row("diff: encoder example vs interpreter", diffs.isEmpty() ? "PASS" : "FAIL", "", diffs.isEmpty() ? "batch 1, 2 x seq 8, 16" : diffs.getFirst()));
            }
            for (Object[] prop : new Object[][] {
                {"loop nests", LowerOptions.defaults().withRuntimeKernels(false), OpSets.ALL, 20251127L},
                {"runtime kernels", LowerOptions.defaults(), OpSets.minus(OpSets.TOTAL, List.of("exp")), 7L},
                {"gemm+rows", LowerOptions.defaults(), OpSets.of("matmul", "linear", "softmax", "log_softmax", "layer_norm", "rms_norm", "relu", "gelu",
                        "silu", "sigmoid", "tanh", "add", "mul"), 3L}}) {
                AtomicInteger ran = new AtomicInteger(), refused = new AtomicInteger(), loweringBugs = new AtomicInteger();
                String failure = null;
                try {
                    LowerOptions lo = (LowerOptions) prop[1];
                    @SuppressWarnings("unchecked")
                    java.util.Set<String> ops = (java.util.Set<String>) prop[2];
                    qt().withFixedSeed((Long) prop[3]).withExamples(graphs).withShrinkCycles(50)
                            .forAll(GraphGens.cases(GraphConfig.defaults().withOps(ops)))
                            .checkAssert(c -> {
                                Map<String, Tensor> expected;
                                try {
                                    expected = Interpreter.run(c.graph(), c.inputs());
                                } catch (RuntimeException x) {
                                    return;
                                }
                                OpenClModel m;
                                KernelProgram program = Lowering.lower(c.graph(), lo);
                                try {
                                    m = new OpenClModel(program, dev);
                                } catch (UnsupportedOpException x) {
                                    refused.incrementAndGet();
                                    return;
                                }
                                try (m) {
                                    List<String> d = TensorAssertions.differences(expected, m.run(c.inputs()), Tolerance.DEFAULT);
                                    if (!d.isEmpty()) {
                                        if (jvmAlsoWrong(program, c.inputs(), expected)) {
                                            // the Kernel IR is wrong (a lowering bug): not the renderer's
                                            loweringBugs.incrementAndGet();
                                            return;
                                        }
                                        throw new AssertionError(d.toString());
                                    }
                                }
                                ran.incrementAndGet();
                            });
                } catch (AssertionError | RuntimeException x) {
                    failure = String.valueOf(x.getMessage()).lines().findFirst().orElse("");
                }
                ok &= failure == null;
                rows.add(new Row("diff: random graphs, " + prop[0], failure == null ? "PASS" : "FAIL", "",
                        failure == null ? ran + " ran, " + refused + " refused, " + loweringBugs + " lowering bugs (seed " + prop[3] + ")" : failure));
            }
            // 2. GEMM 1024^3
            int n = 1024;
            KernelProgram gemm = gemmProgram(n);
            Map<String, Tensor> gin = Map.of("a", randomTensor(new long[] {n, n}, 5));
            double flops = 2.0 * n * n * n;
            try (OpenClModel m = new OpenClModel(gemm, dev)) {
                CompiledModel j1 = jvm(gemm, 1), jn = jvm(gemm, Runtime.getRuntime().availableProcessors());
                double cl = time(() -> m.run(gin), runs);
                double kernelOnly = m.lastProfile().stream().mapToLong(OpenClModel.KernelTime::nanos).sum() / 1e9;
                double t1 = time(() -> j1.run(gin), runs), tn = time(() -> jn.run(gin), runs);
                List<String> d = TensorAssertions.differences(jn.run(gin), m.run(gin), new Tolerance(1e-3, 1e-3));
                ok &= d.isEmpty();
                rows.add(new Row("gemm 1024^3 GFLOP/s (with transfers)", fmt(flops / cl / 1e9), fmt(flops / tn / 1e9) + " (" + jn.threads() + " thr)",
                        "jvm 1 thread " + fmt(flops / t1 / 1e9) + "; results " + (d.isEmpty() ? "agree" : "DIFFER " + d.getFirst())));
                rows.add(new Row("gemm 1024^3 GFLOP/s (kernel only)", fmt(flops / kernelOnly / 1e9), "", "OpenCL profiling event"));
            }
            // 3. encoder, batch 32, seq 128
            Graph enc = load(root, "examples/encoder/tiny_encoder.model");
            Map<String, Tensor> ein = random(enc, 32, 128, 9);
            CompiledModel ej = Lathe.compile(enc, "GpuCheckEncoder", CompileOptions.defaults().withThreads(Runtime.getRuntime().availableProcessors()));
            double tj = time(() -> ej.run(ein), runs);
            String clCell, note;
            try (OpenClModel m = new OpenClModel(Lowering.lower(enc), dev)) {
                double tc = time(() -> m.run(ein), runs);
                clCell = fmt(tc * 1e3) + " ms";
                List<String> d = TensorAssertions.differences(ej.run(ein), m.run(ein), new Tolerance(1e-3, 1e-3));
                ok &= d.isEmpty();
                note = String.format(java.util.Locale.ROOT, "opencl %.2fx the jvm speed; results ", tj / tc) + (d.isEmpty() ? "agree" : "DIFFER " + d.getFirst());
            } catch (UnsupportedOpException x) {
                clCell = "n/a";
                note = "opencl: " + x.op() + " not rendered yet";
            }
            rows.add(new Row("encoder B=32 S=128 median", clCell, fmt(tj * 1e3) + " ms (" + ej.threads() + " thr)", note));
            // 4. cnn, batch 64
            Map<String, Tensor> cin = random(cnn, 64, 1, 11);
            CompiledModel cj = Lathe.compile(cnn, "GpuCheckCnn", CompileOptions.defaults().withThreads(Runtime.getRuntime().availableProcessors()));
            double tcj = time(() -> cj.run(cin), runs);
            try (OpenClModel m = new OpenClModel(Lowering.lower(cnn), dev)) {
                double tc = time(() -> m.run(cin), runs);
                List<String> d = TensorAssertions.differences(cj.run(cin), m.run(cin), new Tolerance(1e-3, 1e-3));
                ok &= d.isEmpty();
                rows.add(new Row("cnn B=64 median", fmt(tc * 1e3) + " ms", fmt(tcj * 1e3) + " ms (" + cj.threads() + " thr)",
                        String.format(java.util.Locale.ROOT, "opencl %.2fx the jvm speed; results ", tcj / tc) + (d.isEmpty() ? "agree" : "DIFFER " + d.getFirst())));
            }
        } catch (OpenClException e) {
            System.err.println("error: " + e.getMessage());
            ok = false;
        }
        System.out.println();
        System.out.printf("%-40s | %-14s | %-22s | %s%n", "check", "opencl", "jvm", "note");
        System.out.println("-".repeat(40) + "-+-" + "-".repeat(14) + "-+-" + "-".repeat(22) + "-+-" + "-".repeat(30));
        for (Row r : rows) System.out.printf("%-40s | %-14s | %-22s | %s%n", r.what, r.opencl, r.jvm, r.note);
        System.out.println(ok ? "RESULT: PASS" : "RESULT: FAIL");
        System.exit(ok ? 0 : 1);
    }

    /** Whether the JVM backend running the same Kernel IR fails or disagrees with the interpreter too. */
    private static boolean jvmAlsoWrong(KernelProgram program, Map<String, Tensor> inputs, Map<String, Tensor> expected) {
        try {
            return !TensorAssertions.differences(expected, jvm(program, 1).run(inputs), Tolerance.DEFAULT).isEmpty();
        } catch (RuntimeException e) {
            return true;
        }
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.1f", v);
    }

    /** Median seconds of {@code runs} calls after 2 warm-up calls. */
    private static double time(Supplier<?> f, int runs) {
        for (int i = 0; i < 2; i++) f.get();
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            f.get();
            t[i] = (System.nanoTime() - s) / 1e9;
        }
        Arrays.sort(t);
        return t[runs / 2];
    }

    private static Graph load(Path root, String model) {
        Path p = root.resolve(model);
        if (!Files.exists(p)) throw new IllegalStateException("no " + p + ": run from the repository root or pass --root");
        return Lathe.requireBound(Lathe.load(p, LoadOptions.defaults()));
    }

    private static Tensor randomTensor(long[] shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[Math.toIntExact(Tensor.checkedSize(shape))];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble(-1, 1);
        return Tensor.ofFloats(shape, v);
    }

    private static Map<String, Tensor> random(Graph graph, long batch, long seq, long seed) {
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (var gi : graph.inputs()) {
            long[] shape = gi.value().type().shape().stream().mapToLong(d -> d.evaluate(Map.of("B", batch, "S", seq))).toArray();
            in.put(gi.name(), randomTensor(shape, seed++));
        }
        return in;
    }

    /** {@code c[n, n] = a[n, n] · w[n, n]} with w a packed weight, as the lowering emits for a Linear. */
    static KernelProgram gemmProgram(int n) {
        Dim d = Dim.of(n), nn = Dim.of((long) n * n);
        List<Buffer> buffers = List.of(
                new Buffer(0, Buffer.Kind.INPUT, DType.F32, nn, "a", "", List.of(), -1),
                new Buffer(1, Buffer.Kind.WEIGHT, DType.F32, nn, "w", WeightPacking.GEMM, List.of((long) n, (long) n), -1),
                new Buffer(2, Buffer.Kind.OUTPUT, DType.F32, nn, "c", "", List.of(), -1));
        Kernel k = new Kernel.Gemm("gemm", d, d, d, 0, Dim.of(0), d, 1, true, false, Dim.of(0), d, 2, Dim.of(0), d, -1, "NONE", -1);
        return new KernelProgram("gemm", buffers, List.of(k), List.of(new KernelProgram.Io("a", DType.F32, List.of(d, d), 0)),
                List.of(new KernelProgram.Io("c", DType.F32, List.of(d, d), 2)), Map.of(), Map.of("w", randomTensor(new long[] {n, n}, 6)));
    }

    static CompiledModel jvm(KernelProgram p, int threads) {
        ClassSink.Memory sink = new ClassSink.Memory();
        ModelSpec spec = JvmBackend.generate(p, "GpuCheckGemm" + threads, sink);
        return CompiledModel.define(spec, sink.bytes(), WeightSource.of(p.weights()), RunOptions.defaults().withThreads(threads));
    }
}
