package dev.lathe.backend.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.runtime.Erf;
import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.lower.KernelProgram;
import dev.lathe.lower.LowerOptions;
import dev.lathe.lower.Lowering;
import dev.lathe.lower.TestGraphs;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.model.CompiledModel;
import dev.lathe.runtime.model.ModelInputException;
import dev.lathe.runtime.model.ModelSpec;
import dev.lathe.runtime.model.RunOptions;
import dev.lathe.runtime.model.Scalars;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

class JvmBackendTest {
    private static final List<LowerOptions> OPTIONS = List.of(LowerOptions.defaults(), LowerOptions.defaults().withRuntimeKernels(false),
            LowerOptions.defaults().withFusion(false).withCleanup(false).withBufferReuse(false));

    private static List<Graph> graphs() {
        return List.of(TestGraphs.mlp(), TestGraphs.chain(), TestGraphs.deep(), TestGraphs.lowRank(), TestGraphs.convPool(), TestGraphs.reversedHalf(),
                TestGraphs.convStrided());
    }

    /** CheckClassAdapter's data-flow verification; empty when the class is valid. */
    static String verify(byte[] bytes) {
        StringWriter out = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(bytes), JvmBackendTest.class.getClassLoader(), false, new PrintWriter(out));
        return out.toString();
    }

    @Test
    void generatedClassesVerifyAndEveryMethodIsFarBelowTheJitLimit() {
        for (Graph g : graphs()) {
            for (LowerOptions o : OPTIONS) {
                ClassSink.Memory sink = new ClassSink.Memory();
                JvmBackend.generate(Lowering.lower(g, o), "Checked", sink);
                byte[] bytes = sink.bytes();
                assertEquals("", verify(bytes), KernelPrinterText.of(g, o));
                Map<String, Integer> sizes = MethodSizes.of(bytes);
                assertTrue(sizes.containsKey("run([Ljava/lang/Object;[ILdev/lathe/runtime/model/RunContext;)V"), sizes.toString());
                sizes.forEach((m, s) -> assertTrue(s < MethodSizes.LIMIT / 2, m + " has " + s + " bytes"));
            }
        }
    }

    @Test
    void compiledGraphsAgreeWithTheInterpreterAndLoopNestsAgreeExactly() {
        for (Graph g : graphs()) {
            Map<String, Tensor> in = TestGraphs.inputs(g, 3, 7);
            Map<String, Tensor> expected = Interpreter.run(g, in);
            for (LowerOptions o : OPTIONS) {
                Map<String, Tensor> actual = JvmCompiler.compile(g, "Agree", o, RunOptions.defaults()).run(in);
                assertEquals(expected.keySet(), actual.keySet());
                for (String name : expected.keySet()) {
                    Tensor e = expected.get(name), a = actual.get(name);
                    assertArrayEquals(e.shape(), a.shape());
                    assertEquals(e.dtype(), a.dtype());
                    if (!o.runtimeKernels()) {
                        assertEquals(e, a, "loop nests compute what the interpreter computes, bit for bit: " + KernelPrinterText.of(g, o));
                    }
                    for (int i = 0; i < e.size(); i++) {
                        double x = e.getDouble(i), y = a.getDouble(i);
                        assertTrue(Math.abs(x - y) <= 1e-5 + 1e-4 * Math.abs(x), name + "[" + i + "]: " + y + ", expected " + x);
                    }
                }
            }
        }
    }

    @Test
    void classWeightsAndDescriptorWrittenToFilesLoadBackToTheSameModel(@TempDir Path dir) throws Exception {
        Graph g = TestGraphs.mlp();
        JvmCompiler.Written w = JvmCompiler.write(g, "Mlp", LowerOptions.defaults(), dir);
        assertTrue(Files.isRegularFile(w.classFile()) && Files.isRegularFile(w.weights()) && Files.isRegularFile(w.descriptor()));
        ClassSink.Memory sink = new ClassSink.Memory();
        JvmBackend.generate(Lowering.lower(g), "Mlp", sink);
        assertArrayEquals(sink.bytes(), Files.readAllBytes(w.classFile()), "one generator, one sink: the same bytes either way");
        CompiledModel loaded = CompiledModel.load(dir, RunOptions.defaults().withThreads(2));
        Map<String, Tensor> in = TestGraphs.inputs(g, 5, 1);
        assertEquals(JvmCompiler.compile(g, "Mlp", LowerOptions.defaults(), RunOptions.defaults()).run(in), loaded.run(in));
        assertEquals(ModelSpec.parse(Files.readString(w.descriptor())), loaded.spec());
    }

    @Test
    void aModelOnTheClasspathLoadsFromItsResources(@TempDir Path dir) throws Exception {
        Graph g = TestGraphs.mlp();
        JvmCompiler.write(g, "Mlp", LowerOptions.defaults(), dir.resolve("models"));
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {dir.toUri().toURL()}, null)) {
            CompiledModel m = CompiledModel.loadResource(loader, "models/Mlp.lathe", RunOptions.defaults());
            Map<String, Tensor> in = TestGraphs.inputs(g, 2, 4);
            assertEquals(JvmCompiler.compile(g, "Mlp", LowerOptions.defaults(), RunOptions.defaults()).run(in), m.run(in));
        }
    }

    @Test
    void inputsAreCheckedWithTheInterpretersCodes() {
        Graph g = TestGraphs.mlp();
        CompiledModel m = JvmCompiler.compile(g, "Checks", LowerOptions.defaults(), RunOptions.defaults());
        Map<String, Tensor> ok = TestGraphs.inputs(g, 2, 1);
        assertEquals("E0602", code(m, Map.of("x", ok.get("x"))));
        Map<String, Tensor> extra = new HashMap<>(ok);
        extra.put("z", ok.get("x"));
        assertEquals("E0605", code(m, extra));
        Map<String, Tensor> wrongType = new HashMap<>(ok);
        wrongType.put("x", Tensor.zeros(DType.F64, new long[] {2, 8}));
        assertEquals("E0603", code(m, wrongType));
        Map<String, Tensor> wrongShape = new HashMap<>(ok);
        wrongShape.put("x", Tensor.zeros(DType.F32, new long[] {2, 7}));
        assertEquals("E0604", code(m, wrongShape));
        Map<String, Tensor> disagree = new HashMap<>(ok);
        disagree.put("skip", Tensor.zeros(DType.F32, new long[] {3, 4}));
        assertEquals("E0601", code(m, disagree));
        Map<String, Tensor> tooBig = Map.of("x", Tensor.zeros(DType.F32, new long[] {17, 8}), "skip", Tensor.zeros(DType.F32, new long[] {17, 4}));
        ModelInputException e = assertThrows(ModelInputException.class, () -> m.run(tooBig));
        assertEquals("E0601", e.code());
        assertTrue(e.getMessage().contains("input x has B = 17, outside its declared bounds 1..16"), e.getMessage());
    }

    private static String code(CompiledModel m, Map<String, Tensor> in) {
        return assertThrows(ModelInputException.class, () -> m.run(in)).code();
    }

    @Test
    void runtimeErfIsTheInterpretersErf() {
        for (double x = -6; x <= 6; x += 0.001) assertEquals(Erf.erf(x), Scalars.erf(x), "erf(" + x + ")");
    }

    @Test
    void symbolicSizesAreCarriedAsTextTheRuntimeEvaluates() {
        KernelProgram p = Lowering.lower(TestGraphs.mlp());
        ModelSpec spec = JvmBackend.generate(p, "Sizes", new ClassSink.Memory());
        assertTrue(spec.sizes().contains("B"), spec.sizes().toString());
        assertEquals(spec, ModelSpec.parse(spec.format()));
    }

    /** The Kernel IR of a graph, for failure messages. */
    static final class KernelPrinterText {
        static String of(Graph g, LowerOptions o) {
            return dev.lathe.lower.KernelPrinter.print(Lowering.lower(g, o));
        }
    }
}
