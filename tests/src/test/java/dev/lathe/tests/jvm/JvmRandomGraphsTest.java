package dev.lathe.tests.jvm;

import static org.quicktheories.QuickTheory.qt;

import dev.lathe.api.CompileOptions;
import dev.lathe.api.Lathe;
import dev.lathe.interp.Interpreter;
import dev.lathe.lower.KernelPrinter;
import dev.lathe.lower.LowerOptions;
import dev.lathe.lower.Lowering;
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
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The JVM backend against the reference interpreter on random well-typed graphs from the test kit
 * (QuickTheories, fixed seeds; a failure shrinks to a minimal graph and prints it with its Kernel IR).
 *
 * <ul>
 *   <li>Loop nests only: every primitive op of std/ops.model ({@link OpSets#ALL}); the loops compute
 *       in double and round where the interpreter does, so they agree within the §4 tolerance (in
 *       practice exactly).</li>
 *   <li>With the runtime's f32 kernels (GEMM, conv, pooling, softmax, norms, attention): {@link OpSets#TOTAL}
 *       without the ops that are discontinuous in their input ({@code equal}, {@code less},
 *       {@code greater}, {@code where}, {@code argmax}, {@code cast}), since a float kernel's last-bit
 *       difference can legitimately flip a comparison or a truncation; those ops are covered exactly
 *       by the first property, and {@code log}, {@code sqrt}, {@code rsqrt}, {@code div}, {@code pow}
 *       are left out as {@code TOTAL} leaves them out (infinite or NaN on part of their domain). So is
 *       {@code exp}: chains of it reach magnitudes beyond f32 inside an f32 kernel (attention scores of
 *       1e40 overflow where the interpreter's doubles do not).</li>
 * </ul>
 */
class JvmRandomGraphsTest {
    static final int EXAMPLES = 500;
    static final Set<String> CONTINUOUS = OpSets.minus(OpSets.TOTAL, List.of("equal", "less", "greater", "where", "argmax", "cast", "exp"));

    private static int counter;

    private static Consumer<GraphCase> agreesWithTheInterpreter(LowerOptions options) {
        return c -> {
            Map<String, Tensor> expected;
            try {
                expected = Interpreter.run(c.graph(), c.inputs());
            } catch (RuntimeException e) {
                return; // an op failing on these values (an index out of range) is not this property's concern
            }
            Map<String, Tensor> actual = Lathe.compile(c.graph(), "Random" + (counter++), CompileOptions.defaults().withLowering(options)).run(c.inputs());
            List<String> diffs = TensorAssertions.differences(expected, actual, Tolerance.DEFAULT);
            if (!diffs.isEmpty()) throw new AssertionError(diffs + "\n" + KernelPrinter.print(Lowering.lower(c.graph(), options)));
        };
    }

    @Test
    void loopNestsAgreeWithTheInterpreterOnEveryOp() {
        qt().withFixedSeed(20251127L).withExamples(EXAMPLES).withShrinkCycles(500)
                .forAll(GraphGens.cases(GraphConfig.defaults().withOps(OpSets.ALL)))
                .checkAssert(agreesWithTheInterpreter(LowerOptions.defaults().withRuntimeKernels(false)));
    }

    @Test
    void runtimeKernelsAgreeWithTheInterpreter() {
        qt().withFixedSeed(7L).withExamples(EXAMPLES).withShrinkCycles(500)
                .forAll(GraphGens.cases(GraphConfig.defaults().withOps(CONTINUOUS)))
                .checkAssert(agreesWithTheInterpreter(LowerOptions.defaults()));
    }

    @Test
    void runtimeKernelsAgreeOnGraphsMadeOfThem() {
        qt().withFixedSeed(3L).withExamples(EXAMPLES).withShrinkCycles(500)
                .forAll(GraphGens.cases(GraphConfig.defaults().withOps("matmul", "linear", "softmax", "log_softmax", "layer_norm", "rms_norm", "attention",
                        "conv2d", "max_pool2d", "avg_pool2d", "relu", "gelu", "silu", "sigmoid", "tanh", "add", "mul")))
                .checkAssert(agreesWithTheInterpreter(LowerOptions.defaults()));
    }

    @Test
    void unfusedUnplannedLoopsAgreeToo() {
        qt().withFixedSeed(99L).withExamples(200).withShrinkCycles(500)
                .forAll(GraphGens.cases(GraphConfig.defaults().withOps(OpSets.ALL)))
                .checkAssert(agreesWithTheInterpreter(LowerOptions.defaults().withRuntimeKernels(false).withFusion(false).withCleanup(false).withBufferReuse(false)));
    }
}
