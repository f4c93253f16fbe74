package dev.lathe.tests.property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.lathe.api.CompileOptions;
import dev.lathe.api.Lathe;
import dev.lathe.api.PassStatementText;
import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.ir.Param;
import dev.lathe.pass.ErrorBound;
import dev.lathe.pass.PassPipeline;
import dev.lathe.pass.PassPlan;
import dev.lathe.pass.PassPlanner;
import dev.lathe.pass.PassStatement;
import dev.lathe.pass.PipelineResult;
import dev.lathe.pass.TargetReport;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.testkit.GraphCase;
import dev.lathe.testkit.GraphConfig;
import dev.lathe.testkit.GraphGens;
import dev.lathe.testkit.RewriteProperties;
import dev.lathe.testkit.TensorAssertions;
import dev.lathe.testkit.Tolerance;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code quantize} on every param of random well-typed graphs (testkit), over 8 and 4 bits, every
 * granularity (group sizes only where they divide), symmetric and asymmetric, every calibration: the
 * interface and the IR stay valid, every target is reported, skipped targets are left exactly as they
 * were, applied targets become integer weights of the right type and meet their certificate, and the
 * same graph gives bitwise the same result; the JVM backend agrees with the interpreter on the result.
 */
class QuantizeGraphPropertiesTest {
    private static final GraphConfig CONFIG = GraphConfig.defaults()
            .withOps("linear", "matmul", "relu", "add", "layer_norm", "transpose")
            .withMaxDim(12)
            .withMaxElements(4096);

    private static final List<String> VARIANTS = List.of(
            "quantize(bits = 8) on \"**\"",
            "quantize(bits = 4, granularity = \"tensor\") on \"**\"",
            "quantize(bits = 8, symmetric = false, calibration = \"mse\") on \"**\"",
            "quantize(bits = 4, symmetric = false, granularity = \"tensor\", calibration = \"percentile\", percentile = 95.0) on \"**\"",
            "quantize(bits = 4, calibration = \"percentile\") on \"**\"",
            "quantize(bits = 8, granularity = \"channel\", symmetric = false) on \"**\"");

    private static PipelineResult quantize(Graph g, int variant) {
        PassStatement s = PassStatementText.parse(VARIANTS.get(variant), "test", PassStatement.Origin.COMMAND_LINE);
        PassPlan plan = PassPlanner.plan(List.of(s), g, Map.of());
        return PassPipeline.standard().run(g, plan);
    }

    @Test
    void quantizeOnEveryParamKeepsTheGraphValidAndMeetsItsCertificate() {
        Map<String, Integer> seen = new java.util.TreeMap<>();
        qt().withFixedSeed(20260501L).withExamples(200)
                .forAll(GraphGens.cases(CONFIG), integers().between(0, VARIANTS.size() - 1))
                .assuming((c, v) -> !c.graph().params().isEmpty())
                .checkAssert((c, v) -> {
                    Graph before = c.graph();
                    PipelineResult r = quantize(before, v);
                    Graph after = r.graph();
                    assertEquals(List.of(), RewriteProperties.typeProblems(before, after), c::toString);
                    assertEquals(before.params().stream().map(Param::path).toList(), r.report().targets().stream().map(TargetReport::target).toList());
                    for (TargetReport t : r.report().targets()) {
                        check(before, after, t, VARIANTS.get(v));
                        seen.merge(t.applied() ? "applied" : t.reason().kind().name(), 1, Integer::sum);
                    }
                    Interpreter.run(after, c.inputs());
                });
        assertTrue(seen.getOrDefault("applied", 0) >= 20, seen::toString);
        assertTrue(seen.getOrDefault("PRECONDITION_FAILED", 0) >= 20, seen::toString);
    }

    private static void check(Graph before, Graph after, TargetReport t, String variant) {
        Param p = before.param(t.target());
        if (!t.applied()) {
            assertSame(p.data(), after.param(t.target()).data(), t.target() + " was skipped but changed");
            assertEquals(t.before(), t.after());
            assertFalse(t.reason().message().isEmpty());
            return;
        }
        assertFalse(after.params().stream().anyMatch(q -> q.path().equals(t.target())), t.target() + " is still there");
        Param q = after.param(t.target() + ".q");
        boolean symmetric = !variant.contains("symmetric = false");
        boolean eight = variant.contains("bits = 8");
        DType expected = symmetric ? (eight ? DType.I8 : DType.I4) : (eight ? DType.U8 : DType.U4);
        assertEquals(expected, q.type().dtype(), variant);
        assertEquals(symmetric, after.params().stream().noneMatch(z -> z.path().equals(t.target() + ".zeros")), variant);
        long lo = symmetric ? -((1L << ((eight ? 8 : 4) - 1)) - 1) : 0;
        long hi = symmetric ? -lo : (1L << (eight ? 8 : 4)) - 1;
        for (long v : q.data().toLongArray()) assertTrue(v >= lo && v <= hi, v + " outside [" + lo + ", " + hi + "]");
        assertTrue(value(t, "max |W - deq(Q(W))| measured") <= value(t, "max |W - deq(Q(W))|") * (1 + 1e-12), t.toString());
        assertTrue(value(t, "||W - deq(Q(W))||_F measured") <= value(t, "||W - deq(Q(W))||_F") * (1 + 1e-12), t.toString());
        assertTrue(t.after().bytes() < t.before().bytes(), t.toString());
    }

    private static double value(TargetReport t, String quantity) {
        return t.certificate().stream().filter(e -> e.quantity().equals(quantity)).mapToDouble(ErrorBound::value).findFirst().orElseThrow();
    }

    @Test
    void aFixedGraphGivesBitwiseIdenticalOutputs() {
        qt().withFixedSeed(20260502L).withExamples(100)
                .forAll(GraphGens.cases(CONFIG), integers().between(0, VARIANTS.size() - 1))
                .assuming((c, v) -> !c.graph().params().isEmpty())
                .checkAssert((GraphCase c, Integer v) -> {
                    PipelineResult a = quantize(c.graph(), v);
                    PipelineResult b = quantize(c.graph(), v);
                    assertEquals(Interpreter.run(a.graph(), c.inputs()), Interpreter.run(b.graph(), c.inputs()));
                });
    }

    /** The JVM backend compiles every quantized graph (f32 throughout here) and agrees with the interpreter. */
    @Test
    void theJvmBackendAgreesWithTheInterpreterOnQuantizedGraphs() {
        int[] counter = {0};
        qt().withFixedSeed(20260503L).withExamples(80)
                .forAll(GraphGens.cases(CONFIG), integers().between(0, VARIANTS.size() - 1))
                .assuming((c, v) -> !c.graph().params().isEmpty())
                .checkAssert((GraphCase c, Integer v) -> {
                    Graph g = quantize(c.graph(), v).graph();
                    Map<String, Tensor> expected = Interpreter.run(g, c.inputs());
                    Map<String, Tensor> actual = Lathe.compile(g, "Quantized" + (counter[0]++), CompileOptions.defaults()).run(c.inputs());
                    List<String> diffs = TensorAssertions.differences(expected, actual, Tolerance.DEFAULT);
                    assertTrue(diffs.isEmpty(), () -> diffs + "\n" + dev.lathe.ir.IrPrinter.print(g));
                });
    }
}
