package dev.lathe.tests.property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

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
import dev.lathe.pass.SkipReason;
import dev.lathe.pass.TargetReport;
import dev.lathe.testkit.GraphCase;
import dev.lathe.testkit.GraphConfig;
import dev.lathe.testkit.GraphGens;
import dev.lathe.testkit.RewriteProperties;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code lowrank} on every param of random well-typed graphs (testkit): the interface and the IR
 * stay valid, every target is reported, skipped targets are left exactly as they were, the gate
 * decides as {@code r(m + n) < (1 - min_saving) m n} says, applied targets meet their certificate,
 * and the same graph gives bitwise the same result.
 */
class LowRankGraphPropertiesTest {
    private static final GraphConfig CONFIG = GraphConfig.defaults()
            .withOps("linear", "matmul", "conv2d", "relu", "add", "layer_norm", "transpose")
            .withMaxDim(12)
            .withMaxElements(4096);

    private static PipelineResult lowrank(Graph g, int rank, double minSaving) {
        String text = String.format(Locale.ROOT, "lowrank(rank = %d, min_saving = %s) on \"**\"", rank, minSaving);
        PassStatement s = PassStatementText.parse(text, "test", PassStatement.Origin.COMMAND_LINE);
        PassPlan plan = PassPlanner.plan(List.of(s), g, Map.of());
        return PassPipeline.standard().run(g, plan);
    }

    @Test
    void lowrankOnEveryParamKeepsTheGraphValidAndReportsEveryTarget() {
        Map<String, Integer> seen = new java.util.TreeMap<>();
        qt().withFixedSeed(20260401L).withExamples(250)
                .forAll(GraphGens.cases(CONFIG), integers().between(1, 3), doubles().between(0, 0.6))
                .assuming((c, rank, saving) -> !c.graph().params().isEmpty())
                .checkAssert((c, rank, saving) -> {
                    double minSaving = Math.rint(saving * 100) / 100;
                    Graph before = c.graph();
                    PipelineResult r = lowrank(before, rank, minSaving);
                    Graph after = r.graph();
                    assertEquals(List.of(), RewriteProperties.typeProblems(before, after), c::toString);
                    assertEquals(before.params().stream().map(Param::path).toList(), r.report().targets().stream().map(TargetReport::target).toList());
                    for (TargetReport t : r.report().targets()) {
                        check(before, after, t, rank, minSaving);
                        seen.merge(t.applied() ? "applied" : t.reason().kind().name(), 1, Integer::sum);
                    }
                    // The rewritten graph runs on the case's inputs.
                    Interpreter.run(after, c.inputs());
                });
        // The generated graphs reach every outcome, so the checks above are exercised.
        assertTrue(seen.getOrDefault("applied", 0) >= 20, seen::toString);
        assertTrue(seen.getOrDefault("UNPROFITABLE", 0) >= 20, seen::toString);
        assertTrue(seen.getOrDefault("PRECONDITION_FAILED", 0) >= 20, seen::toString);
    }

    private static void check(Graph before, Graph after, TargetReport t, int rank, double minSaving) {
        Param p = before.param(t.target());
        if (!t.applied()) {
            assertSame(p.data(), after.param(t.target()).data(), t.target() + " was skipped but changed");
            assertEquals(t.before(), t.after());
            assertFalse(t.reason().message().isEmpty());
            if (t.reason().kind() == SkipReason.Kind.UNPROFITABLE) {
                long[] s = p.type().staticShape();
                long m = s[0], n = s[1];
                long r = Math.min(rank, Math.min(m, n));
                assertTrue(r * (m + n) >= (1 - minSaving) * m * n, t.toString());
            }
            return;
        }
        assertFalse(after.params().stream().anyMatch(q -> q.path().equals(t.target())), t.target() + " is still there");
        Param a = after.param(t.target() + ".A");
        Param b = after.param(t.target() + ".B");
        assertEquals(p.type().dtype(), a.type().dtype());
        assertEquals(p.type().dtype(), b.type().dtype());
        long[] s = p.type().staticShape();
        long m = a.type().staticShape()[0] == b.type().staticShape()[1] ? b.type().staticShape()[0] : -1;
        long n = a.type().staticShape()[1];
        long r = a.type().staticShape()[0];
        assertEquals(Math.min(rank, Math.min(m, n)), r);
        assertTrue(r * (m + n) < (1 - minSaving) * m * n, t.toString());
        assertEquals(r * (m + n), t.after().params());
        assertEquals((long) s[0] * s[1] * (s.length == 4 ? s[2] * s[3] : 1), t.before().params());
        double exact = value(t, "||W - BA||_F");
        double stored = value(t, "||W - BA||_F stored");
        double norm = exact / Math.max(value(t, "||W - BA||_F / ||W||_F"), 1e-300);
        assertEquals(exact, stored, 1e-5 * Math.max(norm, 1e-6), t.toString());
        assertTrue(value(t, "||W - BA||_2") <= exact * (1 + 1e-12), t.toString());
    }

    private static double value(TargetReport t, String quantity) {
        return t.certificate().stream().filter(e -> e.quantity().equals(quantity)).mapToDouble(ErrorBound::value).findFirst().orElseThrow();
    }

    @Test
    void aFixedGraphGivesBitwiseIdenticalOutputs() {
        qt().withFixedSeed(20260402L).withExamples(100)
                .forAll(GraphGens.cases(CONFIG), integers().between(1, 3))
                .assuming((c, rank) -> !c.graph().params().isEmpty())
                .checkAssert((GraphCase c, Integer rank) -> {
                    PipelineResult a = lowrank(c.graph(), rank, 0);
                    PipelineResult b = lowrank(c.graph(), rank, 0);
                    assertEquals(Interpreter.run(a.graph(), c.inputs()), Interpreter.run(b.graph(), c.inputs()));
                });
    }
}
