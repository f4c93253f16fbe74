package dev.lathe.pass;

import static dev.lathe.pass.PlannerFixtures.graph;
import static dev.lathe.pass.PlannerFixtures.instances;
import static dev.lathe.pass.PlannerFixtures.stmt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.DiagnosticException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PassPlannerTest {
    private static PassPlan plan(PassStatement... statements) {
        return PassPlanner.plan(List.of(statements), graph(), instances());
    }

    private static List<Diagnostic> errors(PassStatement... statements) {
        return assertThrows(DiagnosticException.class, () -> plan(statements)).diagnostics();
    }

    private static Diagnostic onlyError(PassStatement... statements) {
        List<Diagnostic> all = errors(statements);
        assertEquals(1, all.size(), all.toString());
        return all.getFirst();
    }

    private static List<String> targets(PassPlan plan) {
        return plan.passes().stream().map(p -> p.passName() + " " + p.target()).toList();
    }

    @Test
    void weightPassMatchesParamsInGraphOrderAndFillsDefaults() {
        PassPlan plan = plan(stmt(1, "lowrank", "blk.*.mlp.fc1.weight", "energy", 0.95));
        assertEquals(List.of("lowrank blk.0.mlp.fc1.weight", "lowrank blk.1.mlp.fc1.weight"), targets(plan));
        PlannedPass first = plan.passes().getFirst();
        assertEquals(Map.of("energy", 0.95, "min_saving", 0.1, "compensate", false), first.args());
        assertEquals(List.of("energy", "min_saving", "compensate"), List.copyOf(first.args().keySet()));
    }

    @Test
    void quantizeDefaultsAreFilledInDeclarationOrder() {
        PlannedPass p = plan(stmt(1, "quantize", "blk.1.proj.weight")).passes().getFirst();
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("bits", 8L);
        expected.put("granularity", "channel");
        expected.put("symmetric", true);
        expected.put("activations", "none");
        expected.put("scheme", "rtn");
        expected.put("calibration", "minmax");
        assertEquals(expected, p.args());
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(p.args().keySet()));
    }

    @Test
    void anIntegerIsAValidFloat() {
        assertEquals(1.0, plan(stmt(1, "lowrank", "blk.1.proj.weight", "ratio", 1L)).passes().getFirst().arg("ratio"));
    }

    @Test
    void dgqImpliesItsBitsActivationsAndGroups() {
        Map<String, Object> args = plan(stmt(1, "quantize", "blk.1.proj.weight", "scheme", "dgq")).passes().getFirst().args();
        assertEquals(4L, args.get("bits"));
        assertEquals("dynamic", args.get("activations"));
        assertEquals("group", args.get("granularity"));
        assertEquals(128L, args.get("group"));
    }

    @Test
    void aGivenGroupImpliesGroupGranularity() {
        Map<String, Object> args = plan(stmt(1, "quantize", "blk.1.proj.weight", "bits", 4L, "group", 64L)).passes().getFirst().args();
        assertEquals("group", args.get("granularity"));
        assertEquals(64L, args.get("group"));
    }

    @Test
    void percentileAndItsCalibrationGoTogether() {
        assertEquals(99.9, plan(stmt(1, "quantize", "blk.1.proj.weight", "calibration", "percentile")).passes().getFirst().arg("percentile"));
        assertEquals("percentile", plan(stmt(1, "quantize", "blk.1.proj.weight", "percentile", 99.0)).passes().getFirst().arg("calibration"));
    }

    @Test
    void sparsifyPatternsGetTheirOwnArguments() {
        assertEquals(Map.of("pattern", "unstructured", "sparsity", 0.8), plan(stmt(1, "sparsify", "blk.1.proj.weight")).passes().getFirst().args());
        assertEquals(Map.of("pattern", "2:4"), plan(stmt(1, "sparsify", "blk.1.proj.weight", "pattern", "2:4")).passes().getFirst().args());
        assertEquals(Map.of("pattern", "block", "sparsity", 0.8, "block", List.of(4L, 2L)),
                plan(stmt(1, "sparsify", "blk.1.proj.weight", "block", List.of(4L, 2L))).passes().getFirst().args());
    }

    @Test
    void kernelizeMatchesOnlyAttentionInstances() {
        PassPlan plan = plan(stmt(1, "kernelize", "**"));
        assertEquals(List.of("kernelize blk.0.a", "kernelize blk.1.a"), targets(plan));
        assertEquals(Map.of("method", "favor", "features", 256L, "seed", 0L), plan.passes().getFirst().args());
        assertEquals(Map.of("method", "nystrom", "landmarks", 32L),
                plan(stmt(1, "kernelize", "blk.0.a", "landmarks", 32L)).passes().getFirst().args());
        assertEquals(Map.of("method", "window", "window", 128L),
                plan(stmt(1, "kernelize", "blk.0.a", "method", "window")).passes().getFirst().args());
    }

    @Test
    void laterStatementReplacesEarlierOneOnTheSameTargetAndTakesItsPosition() {
        PassStatement all = stmt(1, "quantize", "**.weight", "bits", 8L);
        PassStatement factor = stmt(2, "lowrank", "blk.0.mlp.fc1.weight", "rank", 2L);
        PassStatement narrower = stmt(3, "quantize", "blk.0.mlp.fc1.weight", "bits", 4L);
        PassPlan plan = plan(all, factor, narrower);
        assertEquals(List.of(
                "quantize blk.0.mlp.fc2.weight", "quantize blk.1.mlp.fc1.weight", "quantize blk.1.proj.weight",
                "lowrank blk.0.mlp.fc1.weight", "quantize blk.0.mlp.fc1.weight"), targets(plan));
        PlannedPass last = plan.passes().getLast();
        assertEquals(4L, last.arg("bits"));
        assertSame(narrower, last.source());
        assertEquals(8L, plan.passes().getFirst().arg("bits"));
        // a different pass on the same target does not replace anything
        assertEquals(2, plan.forTarget("blk.0.mlp.fc1.weight").size());
    }

    @Test
    void aTargetMatchedBySeveralSelectorsOfOneStatementIsPlannedOnce() {
        PassPlan plan = plan(stmt(1, "quantize", List.of("blk.0.**", "**.fc1.weight")));
        assertEquals(List.of("quantize blk.0.mlp.fc1.weight", "quantize blk.0.mlp.fc1.bias", "quantize blk.0.mlp.fc2.weight",
                "quantize blk.1.mlp.fc1.weight"), targets(plan));
    }

    @Test
    void unknownPassListsTheValidOnesClosestFirst() {
        Diagnostic d = onlyError(stmt(4, "lowrnk", "**", "rank", 2L));
        assertEquals("E0501", d.code());
        assertEquals(4, d.span().line());
        assertEquals("unknown pass lowrnk; valid passes: lowrank, sparsify, quantize, kernelize", d.message());
    }

    @Test
    void unknownArgumentListsTheValidOnesClosestFirst() {
        List<Diagnostic> all = errors(stmt(1, "lowrank", "blk.1.proj.weight", "rnk", 4L));
        assertEquals("E0503", all.getFirst().code());
        assertEquals("unknown argument rnk for pass lowrank; valid arguments: rank, ratio, energy, threshold, min_saving, compensate",
                all.getFirst().message());
        // and the required size is still missing
        assertEquals("E0504", all.get(1).code());
        assertEquals(2, all.size());
    }

    @Test
    void wrongTypeSaysWhatWasExpected() {
        Diagnostic d = onlyError(stmt(1, "lowrank", "blk.1.proj.weight", "rank", 0.5));
        assertEquals("E0504", d.code());
        assertEquals("lowrank: rank must be an int, got 0.5", d.message());
        assertEquals("quantize: symmetric must be a bool, got \"yes\"",
                onlyError(stmt(1, "quantize", "blk.1.proj.weight", "symmetric", "yes")).message());
        assertEquals("sparsify: block must be an int list, got [4, 0.5]",
                onlyError(stmt(1, "sparsify", "blk.1.proj.weight", "block", List.of(4L, 0.5))).message());
    }

    @Test
    void outOfRangeSaysTheAllowedValues() {
        assertEquals("lowrank: ratio = 1.5 is not allowed; allowed: (0, 1]",
                onlyError(stmt(1, "lowrank", "blk.1.proj.weight", "ratio", 1.5)).message());
        assertEquals("lowrank: threshold = 1.0 is not allowed; allowed: [0, 1)",
                onlyError(stmt(1, "lowrank", "blk.1.proj.weight", "threshold", 1.0)).message());
        assertEquals("lowrank: rank = 0 is not allowed; allowed: >= 1",
                onlyError(stmt(1, "lowrank", "blk.1.proj.weight", "rank", 0L)).message());
        assertEquals("quantize: bits = 3 is not allowed; allowed: 8 | 4",
                onlyError(stmt(1, "quantize", "blk.1.proj.weight", "bits", 3L)).message());
        assertEquals("quantize: granularity = \"row\" is not allowed; allowed: \"tensor\" | \"channel\" | \"group\"",
                onlyError(stmt(1, "quantize", "blk.1.proj.weight", "granularity", "row")).message());
        assertEquals("E0504", onlyError(stmt(1, "sparsify", "blk.1.proj.weight", "pattern", "4:2")).code());
        assertEquals("E0504", onlyError(stmt(1, "sparsify", "blk.1.proj.weight", "pattern", "0:4")).code());
        assertEquals("sparsify: pattern = \"2-4\" is not allowed; allowed: \"unstructured\" | \"N:M\" (0 < N < M, e.g. \"2:4\") | \"block\"",
                onlyError(stmt(1, "sparsify", "blk.1.proj.weight", "pattern", "2-4")).message());
        assertEquals("E0504", onlyError(stmt(1, "sparsify", "blk.1.proj.weight", "block", List.of(4L))).code());
        assertEquals("E0504", onlyError(stmt(1, "kernelize", "blk.0.a", "features", 0L)).code());
    }

    @Test
    void lowrankNeedsExactlyOneSize() {
        assertEquals("lowrank: conflicting arguments: rank and energy; give exactly one of rank, ratio, energy, threshold",
                onlyError(stmt(1, "lowrank", "blk.1.proj.weight", "rank", 4L, "energy", 0.9)).message());
        assertEquals("lowrank: missing argument: give exactly one of rank, ratio, energy, threshold",
                onlyError(stmt(1, "lowrank", "blk.1.proj.weight")).message());
    }

    @Test
    void conflictingArgumentsNameBothSides() {
        assertEquals("quantize: conflicting arguments: scheme = \"dgq\" needs bits = 4, not bits = 8",
                onlyError(stmt(1, "quantize", "blk.1.proj.weight", "scheme", "dgq", "bits", 8L)).message());
        assertEquals("quantize: conflicting arguments: group needs granularity = \"group\", not granularity = \"channel\"",
                onlyError(stmt(1, "quantize", "blk.1.proj.weight", "granularity", "channel", "group", 32L)).message());
        assertEquals("kernelize: conflicting arguments: features needs method = \"favor\", but landmarks needs method = \"nystrom\"",
                onlyError(stmt(1, "kernelize", "blk.0.a", "features", 64L, "landmarks", 32L)).message());
        assertEquals("kernelize: conflicting arguments: seed applies only when method = \"favor\", not method = \"elu\"",
                onlyError(stmt(1, "kernelize", "blk.0.a", "method", "elu", "seed", 1L)).message());
        assertEquals("sparsify: conflicting arguments: sparsity applies only when pattern = \"unstructured\" | \"block\", not pattern = \"2:4\"",
                onlyError(stmt(1, "sparsify", "blk.1.proj.weight", "pattern", "2:4", "sparsity", 0.5)).message());
        assertEquals("sparsify: missing argument: block is required when pattern = \"block\"",
                onlyError(stmt(1, "sparsify", "blk.1.proj.weight", "pattern", "block")).message());
    }

    @Test
    void selectorMatchingNoParamSuggestsTheClosest() {
        Diagnostic d = onlyError(stmt(2, "lowrank", "blk.*.mlp.fc3.weight", "rank", 2L));
        assertEquals("E0502", d.code());
        assertEquals("selector \"blk.*.mlp.fc3.weight\" of lowrank matches no param; closest: blk.0.mlp.fc1.weight, "
                + "blk.0.mlp.fc2.weight, blk.1.mlp.fc1.weight", d.message());
    }

    @Test
    void eachSelectorOfAStatementMustMatch() {
        Diagnostic d = onlyError(stmt(2, "quantize", List.of("**.weight", "**.gamma")));
        assertEquals("E0502", d.code());
        assertEquals(true, d.message().startsWith("selector \"**.gamma\" of quantize matches no param"), d.message());
    }

    @Test
    void kernelizeOnABlockInstanceTargetsTheAttentionInsideIt() {
        PassPlan plan = PassPlanner.plan(List.of(stmt(3, "kernelize", "blk.0")), graph(), PlannerFixtures.instances());
        assertEquals(List.of("blk.0.a"), plan.passes().stream().map(PlannedPass::target).toList());
    }

    @Test
    void kernelizeOnABlockWithoutAttentionSaysWhatItMatched() {
        Diagnostic d = onlyError(stmt(3, "kernelize", "blk.0.mlp"));
        assertEquals("E0502", d.code());
        assertEquals("selector \"blk.0.mlp\" of kernelize matches no attention instance; closest: blk.0.a, blk.1.a", d.message());
        assertEquals("it matches only instances of other kinds: blk.0.mlp (Mlp)", d.notes().getFirst().text());
    }

    @Test
    void kernelizeOnAGraphWithoutAttentionSaysSo() {
        var e = assertThrows(DiagnosticException.class,
                () -> PassPlanner.plan(List.of(stmt(1, "kernelize", "**")), graph(), Map.of("blk.0.mlp", "Mlp")));
        assertEquals("selector \"**\" of kernelize matches no attention instance; the graph has none",
                e.diagnostics().getFirst().message());
    }

    @Test
    void everyProblemOfEveryStatementIsReportedAtOnce() {
        List<Diagnostic> all = errors(
                stmt(1, "lowrank", "blk.1.proj.weight", "rank", 4L),     // fine
                stmt(2, "prune", "**"),
                stmt(3, "quantize", "nothing.here", "bits", 3L),
                stmt(4, "kernelize", "blk.*.a", "featurs", 16L));
        assertEquals(List.of("E0501 2", "E0504 3", "E0502 3", "E0503 4"),
                all.stream().map(d -> d.code() + " " + d.span().line()).toList());
    }

    @Test
    void noStatementsGiveAnEmptyPlan() {
        assertEquals(PassPlan.EMPTY, plan());
    }
}
