package dev.lathe.gpu;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.lathe.interp.Interpreter;
import dev.lathe.lower.KernelPrinter;
import dev.lathe.lower.KernelProgram;
import dev.lathe.lower.LowerOptions;
import dev.lathe.lower.Lowering;
import dev.lathe.lower.UnsupportedOpException;
import dev.lathe.runtime.Tensor;
import dev.lathe.testkit.GraphCase;
import dev.lathe.testkit.GraphConfig;
import dev.lathe.testkit.GraphGens;
import dev.lathe.testkit.OpSets;
import dev.lathe.testkit.TensorAssertions;
import dev.lathe.testkit.Tolerance;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The OpenCL backend against the interpreter on random graphs (fixed seeds) over every primitive the
 * generator knows ({@link OpSets#ALL}: integer and bool tensors, comparisons, casts, argmax, gathers
 * and embeddings, conv and pooling, masked attention included). A graph the interpreter rejects, or
 * that lowers to something unrendered (refused with an UnsupportedOpException), does not count, nor does
 * one whose Kernel IR is wrong (the JVM backend running it disagrees with the interpreter as well); each
 * property must run at least 200 graphs on the device and prints how many ran and why others did not.
 */
class OpenClRandomGraphsTest {
    static final int EXAMPLES = 260;
    static final Set<String> RENDERED = OpSets.ALL;
    static final Set<String> CONTINUOUS = OpSets.minus(RENDERED, List.of("log", "sqrt", "rsqrt", "div", "pow", "exp"));

    private static Consumer<GraphCase> agrees(LowerOptions options, AtomicInteger ran, Map<String, Integer> refused) {
        OpenClDevice device = OpenClTestSupport.device();
        return c -> {
            Map<String, Tensor> expected;
            try {
                expected = Interpreter.run(c.graph(), c.inputs());
            } catch (RuntimeException e) {
                refused.merge("interpreter error", 1, Integer::sum);
                return;
            }
            KernelProgram program = Lowering.lower(c.graph(), options);
            OpenClModel model;
            try {
                model = new OpenClModel(program, device);
            } catch (UnsupportedOpException e) {
                refused.merge(e.op(), 1, Integer::sum);
                return;
            }
            try (model) {
                Map<String, Tensor> actual = model.run(c.inputs());
                List<String> diffs = TensorAssertions.differences(expected, actual, Tolerance.DEFAULT);
                if (!diffs.isEmpty()) {
                    if (jvmBackendFails(program, c.inputs(), expected)) {
                        // the Kernel IR itself is wrong (a lowering bug, the compiler's tests' business): not counted
                        refused.merge("lowering (the jvm backend disagrees too)", 1, Integer::sum);
                        return;
                    }
                    throw new AssertionError(diffs + "\n" + KernelPrinter.print(program));
                }
            }
            ran.incrementAndGet();
        };
    }

    /** Whether the JVM backend, running the same Kernel IR, also fails or disagrees with the interpreter. */
    private static boolean jvmBackendFails(KernelProgram program, Map<String, Tensor> inputs, Map<String, Tensor> expected) {
        try {
            return !TensorAssertions.differences(expected, GpuCheck.jvm(program, 1).run(inputs), Tolerance.DEFAULT).isEmpty();
        } catch (RuntimeException e) {
            return true;
        }
    }

    private static void report(AtomicInteger ran, Map<String, Integer> refused) {
        String test = StackWalker.getInstance().walk(f -> f.skip(1).findFirst().orElseThrow().getMethodName());
        System.out.println("OpenClRandomGraphsTest." + test + ": " + ran.get() + " ran on the device, not run: " + new java.util.TreeMap<>(refused));
    }

    @Test
    void loopNestsAgreeWithTheInterpreter() {
        AtomicInteger ran = new AtomicInteger();
        Map<String, Integer> refused = new java.util.concurrent.ConcurrentHashMap<>();
        qt().withFixedSeed(20251127L).withExamples(EXAMPLES).withShrinkCycles(200)
                .forAll(GraphGens.cases(GraphConfig.defaults().withOps(RENDERED)))
                .checkAssert(agrees(LowerOptions.defaults().withRuntimeKernels(false), ran, refused));
        report(ran, refused);
        assertTrue(ran.get() >= 200, "only " + ran.get() + " of " + EXAMPLES + " graphs ran on the device; skipped: " + refused);
    }

    @Test
    void runtimeKernelsAgreeWithTheInterpreter() {
        AtomicInteger ran = new AtomicInteger();
        Map<String, Integer> refused = new java.util.concurrent.ConcurrentHashMap<>();
        qt().withFixedSeed(7L).withExamples(EXAMPLES).withShrinkCycles(200)
                .forAll(GraphGens.cases(GraphConfig.defaults().withOps(CONTINUOUS)))
                .checkAssert(agrees(LowerOptions.defaults(), ran, refused));
        report(ran, refused);
        assertTrue(ran.get() >= 200, "only " + ran.get() + " of " + EXAMPLES + " graphs ran on the device; skipped: " + refused);
    }

    @Test
    void gemmAndRowKernelsAgree() {
        AtomicInteger ran = new AtomicInteger();
        Map<String, Integer> refused = new java.util.concurrent.ConcurrentHashMap<>();
        qt().withFixedSeed(3L).withExamples(EXAMPLES).withShrinkCycles(200)
                .forAll(GraphGens.cases(GraphConfig.defaults().withOps("matmul", "linear", "softmax", "log_softmax", "layer_norm", "rms_norm",
                        "relu", "gelu", "silu", "sigmoid", "tanh", "add", "mul")))
                .checkAssert(agrees(LowerOptions.defaults(), ran, refused));
        report(ran, refused);
        assertTrue(ran.get() >= 200, "only " + ran.get() + " of " + EXAMPLES + " graphs ran on the device; skipped: " + refused);
    }

    /** Dims up to 40, so that GEMMs take the vectorized 8x16 tile path with every K remainder, not only the edge path. */
    @Test
    void largerGemmsTakeTheVectorPath() {
        AtomicInteger ran = new AtomicInteger();
        Map<String, Integer> refused = new java.util.concurrent.ConcurrentHashMap<>();
        qt().withFixedSeed(11L).withExamples(80).withShrinkCycles(100)
                .forAll(GraphGens.cases(GraphConfig.defaults().withMaxDim(40).withMaxElements(4096).withMaxNodes(4)
                        .withOps("matmul", "linear", "relu", "gelu", "add", "softmax", "layer_norm")))
                .checkAssert(agrees(LowerOptions.defaults(), ran, refused));
        report(ran, refused);
        assertTrue(ran.get() >= 60, "only " + ran.get() + " of 80 graphs ran on the device; skipped: " + refused);
    }
}
