package dev.lathe.tornado;

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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emitted source against the interpreter on random graphs (testkit generators, fixed seeds): each
 * graph is lowered, emitted for the dims its inputs bind, compiled by javac, run, and compared within
 * DESIGN.md §4. Gathers (embedding, gather) are left out; a graph that still lowers to something the
 * backend refuses (integer div, float-to-int casts) must be refused with an UnsupportedOpException and
 * does not count. Each property must run at least 200 graphs.
 */
class TornadoRandomGraphsTest {
    static final int EXAMPLES = 240;
    static final Set<String> EMITTED = OpSets.minus(OpSets.ALL, List.of("gather", "embedding"));
    static final Set<String> CONTINUOUS = OpSets.minus(EMITTED, List.of("log", "sqrt", "rsqrt", "div", "pow", "exp"));
    static final Map<String, Integer> REFUSED = new ConcurrentHashMap<>();

    @TempDir Path dir;

    private Consumer<GraphCase> agrees(LowerOptions options, AtomicInteger ran) {
        return c -> {
            Map<String, Tensor> expected;
            try {
                expected = Interpreter.run(c.graph(), c.inputs());
            } catch (RuntimeException e) {
                REFUSED.merge("interpreter error", 1, Integer::sum);
                return;
            }
            KernelProgram program = Lowering.lower(c.graph(), options);
            try {
                TornadoEmitter.check(program);
            } catch (UnsupportedOpException e) {
                REFUSED.merge(e.op(), 1, Integer::sum);
                return;
            }
            Path d;
            try {
                d = Files.createTempDirectory(dir, "g");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try (EmittedModel model = EmittedModel.build(program, c.dims(), d)) {
                Map<String, Tensor> actual = model.run(c.inputs());
                List<String> diffs = TensorAssertions.differences(expected, actual, Tolerance.DEFAULT);
                if (!diffs.isEmpty()) throw new AssertionError(diffs + "\n" + KernelPrinter.print(program));
            } catch (Exception e) {
                if (e instanceof RuntimeException r) throw r;
                throw new IllegalStateException(e);
            }
            ran.incrementAndGet();
        };
    }

    @Test
    void loopNestsAgreeWithTheInterpreter() {
        AtomicInteger ran = new AtomicInteger();
        qt().withFixedSeed(20251127L).withExamples(EXAMPLES).withShrinkCycles(100)
                .forAll(GraphGens.cases(GraphConfig.defaults().withOps(EMITTED)))
                .checkAssert(agrees(LowerOptions.defaults().withRuntimeKernels(false), ran));
        System.out.println("tornado random graphs, loop nests: " + ran.get() + " of " + EXAMPLES + " ran; skipped so far: " + REFUSED);
        assertTrue(ran.get() >= 200, "only " + ran.get() + " of " + EXAMPLES + " graphs ran; skipped: " + REFUSED);
    }

    @Test
    void runtimeKernelsAgreeWithTheInterpreter() {
        AtomicInteger ran = new AtomicInteger();
        qt().withFixedSeed(7L).withExamples(EXAMPLES).withShrinkCycles(100)
                .forAll(GraphGens.cases(GraphConfig.defaults().withOps(CONTINUOUS)))
                .checkAssert(agrees(LowerOptions.defaults(), ran));
        System.out.println("tornado random graphs, runtime kernels: " + ran.get() + " of " + EXAMPLES + " ran; skipped so far: " + REFUSED);
        assertTrue(ran.get() >= 200, "only " + ran.get() + " of " + EXAMPLES + " graphs ran; skipped: " + REFUSED);
    }
}
