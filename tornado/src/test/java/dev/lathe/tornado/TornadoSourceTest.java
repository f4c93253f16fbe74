package dev.lathe.tornado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.api.PassStatementText;
import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphBuilder;
import dev.lathe.ir.OpTypeException;
import dev.lathe.ir.Provenance;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.lower.Buffer;
import dev.lathe.lower.Kernel;
import dev.lathe.lower.KernelProgram;
import dev.lathe.lower.LowerOptions;
import dev.lathe.lower.Lowering;
import dev.lathe.lower.UnsupportedOpException;
import dev.lathe.pass.PassPipeline;
import dev.lathe.pass.PassPlanner;
import dev.lathe.pass.PassStatement;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.testkit.TensorAssertions;
import dev.lathe.testkit.Tolerance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The structure of the emitted source (annotations, task graph, transfer modes), element types, and what is refused. */
class TornadoSourceTest {
    private static final Provenance P = Provenance.NONE;

    @TempDir Path dir;

    private static List<String> fieldsIn(String host, String call) {
        Matcher m = Pattern.compile(Pattern.quote(call) + "([^)]*)\\)").matcher(host);
        List<String> out = new ArrayList<>();
        while (m.find()) for (String f : m.group(1).split(",")) out.add(f.trim());
        return out;
    }

    @Test
    void mlpHasParallelKernelsAndOneTaskGraphWithTheTransferModes() {
        Graph g = ExampleModels.load("examples/mlp/mlp.model", false);
        KernelProgram p = Lowering.lower(g, LowerOptions.defaults());
        EmittedSources src = TornadoEmitter.emit(p, Map.of("B", 4L), "gen.mlp", "Mlp");
        String k = src.kernelsSource(), h = src.hostSource();
        assertEquals("MlpKernels", src.kernelsClass());
        assertTrue(k.startsWith("package gen.mlp;"), k);
        int gemms = 0;
        for (Kernel kernel : p.kernels()) if (kernel instanceof Kernel.Gemm) gemms++;
        assertEquals(3, gemms, "the mlp lowers to three GEMMs with fused bias and relu");
        // every GEMM is a 2-D @Parallel nest over its output
        assertEquals(p.kernels().size(), count(k, "public static void k"), k);
        assertEquals(2 * gemms, count(k, "for (@Parallel int "), k);
        assertTrue(k.contains("for (@Parallel int i = 0; i < 4; i++)"), "B = 4 is baked in:\n" + k);
        assertTrue(k.contains("for (@Parallel int j = 0; j < 512; j++)"), k);
        assertTrue(k.contains("relu32("), "the relu epilogue is fused:\n" + k);
        // host: one task graph, weights FIRST_EXECUTION, the input EVERY_EXECUTION in, the output EVERY_EXECUTION out
        assertEquals(1, count(h, "new TaskGraph("), h);
        assertEquals(1, count(h, "new TornadoExecutionPlan("), h);
        assertTrue(h.contains(".snapshot()"), h);
        List<String> first = fieldsIn(h, ".transferToDevice(DataTransferMode.FIRST_EXECUTION, ");
        List<String> every = fieldsIn(h, ".transferToDevice(DataTransferMode.EVERY_EXECUTION, ");
        List<String> back = fieldsIn(h, ".transferToHost(DataTransferMode.EVERY_EXECUTION, ");
        for (Buffer b : p.buffers()) {
            String f = "b" + b.id();
            switch (b.kind()) {
                case WEIGHT -> assertTrue(first.contains(f) && !every.contains(f), b.name() + " FIRST_EXECUTION: " + first);
                case INPUT -> assertEquals(List.of(f), every, "the input EVERY_EXECUTION");
                case OUTPUT -> assertEquals(List.of(f), back, "the output back EVERY_EXECUTION");
                case TEMP -> assertFalse(every.contains(f) || back.contains(f), "intermediates stay on the device");
            }
        }
        assertEquals(6, p.buffers().stream().filter(b -> b.kind() == Buffer.Kind.WEIGHT).count());
        for (int i = 0; i < p.kernels().size(); i++) assertTrue(h.contains(".task(\"k" + i + "\", MlpKernels::k" + i + ", "), h);
        assertTrue(h.contains("file.read(\"fc1.weight\")"), "weights come from the safetensors file by key:\n" + h);
    }

    @Test
    void reductionsRunSequentiallyInsideTheParallelLoop() throws OpTypeException {
        GraphBuilder b = new GraphBuilder("sum");
        Value x = b.input("x", TensorType.of(DType.F32, 3, 5), P);
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("axes", List.of(dev.lathe.ir.Dim.of(1)));
        attrs.put("keepdims", false);
        Graph g = b.build(b.op("sum", List.of(x), attrs, P), List.of("s"));
        String k = TornadoEmitter.emit(Lowering.lower(g, LowerOptions.defaults()), Map.of(), "", "Sum").kernelsSource();
        assertTrue(k.contains("for (@Parallel int i0 = 0; i0 < 3; i0++)"), k);
        assertTrue(k.contains("double acc = 0.0;"), "double accumulation as in the interpreter:\n" + k);
        assertTrue(k.contains("for (int i1 = 0; i1 < 5; i1++)"), k);
        assertFalse(k.contains("package "), "the default package");
    }

    /** f16, i8, bool and i64 buffers: HalfFloatArray, Int8Array, ByteArray and LongArray, against the interpreter. */
    @Test
    void halfFloatInt8BoolAndLongArraysAgreeWithTheInterpreter() throws Exception {
        GraphBuilder b = new GraphBuilder("types");
        Value x = b.input("x", TensorType.of(DType.F32, 4, 6), P);
        Value q = b.input("q", TensorType.of(DType.I8, 4, 6), P);
        Value h = b.op("cast", List.of(x), Map.of("dtype", "f16"), P).get(0);
        Value h2 = b.op("mul", List.of(h, h), Map.of(), P).get(0);
        Value qf = b.op("cast", List.of(q), Map.of("dtype", "f16"), P).get(0);
        Value sum = b.op("add", List.of(h2, qf), Map.of(), P).get(0);
        Value q2 = b.op("add", List.of(q, q), Map.of(), P).get(0);
        Value gt = b.op("greater", List.of(x, b.op("cast", List.of(q), Map.of("dtype", "f32"), P).get(0)), Map.of(), P).get(0);
        Map<String, Object> am = new LinkedHashMap<>();
        am.put("axes", List.of(dev.lathe.ir.Dim.of(1)));
        am.put("keepdims", false);
        Value arg = b.op("argmax", List.of(x), am, P).get(0);
        Graph g = b.build(List.of(sum, q2, gt, arg), List.of("h", "q2", "gt", "arg"));
        SplittableRandom r = new SplittableRandom(3);
        float[] xv = new float[24];
        long[] qv = new long[24];
        for (int i = 0; i < 24; i++) {
            xv[i] = (float) r.nextDouble(-3, 3);
            qv[i] = r.nextInt(-128, 128);
        }
        Map<String, Tensor> in = Map.of("x", Tensor.ofFloats(new long[] {4, 6}, xv), "q", Tensor.ofLongs(DType.I8, new long[] {4, 6}, qv));
        Map<String, Tensor> expected = Interpreter.run(g, in);
        KernelProgram p = Lowering.lower(g, LowerOptions.defaults());
        EmittedSources src = TornadoEmitter.emit(p, Map.of(), "gen.types", "Types");
        for (String type : List.of("HalfFloatArray", "Int8Array", "ByteArray", "LongArray")) {
            assertTrue(src.kernelsSource().contains(type + " b"), type + " in\n" + src.kernelsSource());
        }
        try (EmittedModel m = EmittedModel.build(p, Map.of(), dir)) {
            Map<String, Tensor> actual = m.run(in);
            assertEquals(DType.F16, actual.get("h").dtype());
            assertEquals(DType.I8, actual.get("q2").dtype());
            List<String> diffs = TensorAssertions.differences(expected, actual, Tolerance.EXACT);
            assertTrue(diffs.isEmpty(), diffs + "\n" + src.kernelsSource());
        }
    }

    @Test
    void gathersAreRefusedClearly() throws OpTypeException {
        GraphBuilder b = new GraphBuilder("emb");
        Value idx = b.input("idx", TensorType.of(DType.I64, 3), P);
        Value table = b.param("table", TensorType.of(DType.F32, 10, 4), P);
        Graph g = b.build(b.op("embedding", List.of(idx, table), Map.of(), P), List.of("e"));
        g = g.withParamData(Map.of("table", Tensor.zeros(DType.F32, new long[] {10, 4})));
        KernelProgram p = Lowering.lower(g, LowerOptions.defaults());
        UnsupportedOpException e = assertThrows(UnsupportedOpException.class, () -> TornadoEmitter.emit(p, Map.of(), "", "Emb"));
        assertEquals("gather", e.op());
        assertTrue(e.getMessage().contains("tornadovm backend does not emit gathers"), e.getMessage());
    }

    /** Float to integer casts truncate toward zero and wrap to the width, NaN gives 0, as in the interpreter (Java's cast, then wrapped). */
    @Test
    void floatToIntegerCastsAgreeExactly() throws Exception {
        GraphBuilder b = new GraphBuilder("c");
        Value x = b.input("x", TensorType.of(DType.F32, 8), P);
        List<Value> outs = new ArrayList<>();
        for (String t : List.of("i8", "i32", "i64")) outs.add(b.op("cast", List.of(x), Map.of("dtype", t), P).get(0));
        // integer ops other than neg/abs/relu compute in double and truncate: clip of an i32 to [-100, 100.5]
        Map<String, Object> bounds = new LinkedHashMap<>();
        bounds.put("min", -100.0);
        bounds.put("max", 100.5);
        outs.add(b.op("clip", List.of(outs.get(1)), bounds, P).get(0));
        Graph g = b.build(outs, List.of("i8", "i32", "i64", "clip"));
        Map<String, Tensor> in = Map.of("x", Tensor.ofFloats(new long[] {8}, new float[] {3.7f, -3.7f, 300f, -129.5f, 1e10f, -1e20f, Float.NaN, 0.5f}));
        KernelProgram p = Lowering.lower(g, LowerOptions.defaults());
        try (EmittedModel m = EmittedModel.build(p, Map.of(), dir)) {
            List<String> diffs = TensorAssertions.differences(Interpreter.run(g, in), m.run(in), Tolerance.EXACT);
            assertTrue(diffs.isEmpty(), diffs.toString());
        }
    }

    @Test
    void quantizedLayersAreRefusedClearly() {
        Graph g = ExampleModels.load("examples/mlp/mlp.model", false);
        PassStatement s = PassStatementText.parse("quantize(scheme = \"dgq\", group = 32) on \"fc2.weight\"", "test", PassStatement.Origin.COMMAND_LINE);
        Graph q = PassPipeline.standard().run(g, PassPlanner.plan(List.of(s), g, Map.of())).graph();
        KernelProgram p = Lowering.lower(q, LowerOptions.defaults());
        UnsupportedOpException e = assertThrows(UnsupportedOpException.class, () -> TornadoEmitter.check(p));
        assertEquals("quantized_linear", e.op());
        assertTrue(e.getMessage().contains("does not emit quantized_linear"), e.getMessage());
    }

    @Test
    void integerDivisionIsRefused() throws OpTypeException {
        GraphBuilder b = new GraphBuilder("d");
        Value x = b.input("x", TensorType.of(DType.I64, 3), P);
        Value y = b.input("y", TensorType.of(DType.I64, 3), P);
        Graph g = b.build(b.op("div", List.of(x, y), Map.of(), P), List.of("q"));
        KernelProgram p = Lowering.lower(g, LowerOptions.defaults());
        UnsupportedOpException e = assertThrows(UnsupportedOpException.class, () -> TornadoEmitter.check(p));
        assertEquals("div", e.op());
        assertTrue(e.getMessage().contains("division by zero must be a run-time error"), e.getMessage());
    }

    @Test
    void everyUsedDimMustBeBound() {
        Graph g = ExampleModels.load("examples/encoder/tiny_encoder.model", true);
        KernelProgram p = Lowering.lower(g, LowerOptions.defaults());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TornadoEmitter.emit(p, Map.of("B", 1L), "", "Enc"));
        assertTrue(e.getMessage().contains("bind S"), e.getMessage());
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) n++;
        return n;
    }
}
