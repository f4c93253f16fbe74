package dev.lathe.pass;

import dev.lathe.ir.Graph;
import dev.lathe.ir.IrVerifier;
import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a {@link PassPlan} over a bound graph, in plan order (LANGUAGE.md §7). Consecutive plan
 * entries of one pass form one stage, a single run of that pass over those targets; a pass that
 * appears again later in the plan runs again there. Each stage's graph and report entries are kept
 * ({@code lathe ir --after}). A verifying pipeline runs {@link IrVerifier} on its input and after
 * every stage and treats a violation as an internal error naming the pass; tests always verify.
 * Immutable and thread-safe.
 */
public final class PassPipeline {
    private final PassLibrary library;
    private final boolean verify;

    public PassPipeline(PassLibrary library, boolean verify) {
        this.library = Objects.requireNonNull(library, "library");
        this.verify = verify;
    }

    /** The standard passes, verifying after each (the check is cheap next to the passes). */
    public static PassPipeline standard() {
        return new PassPipeline(PassLibrary.standard(), true);
    }

    public PipelineResult run(Graph bound, PassPlan plan) {
        return run(bound, plan, List.of());
    }

    /**
     * @param calibration input maps for passes that fit to activations ({@code lowrank(compensate = true)});
     *     empty when none were given, and those targets are then skipped with that reason
     * @throws IllegalArgumentException when a param of {@code bound} has no data
     * @throws IllegalStateException when a pass breaks the IR or its report contract (a compiler bug)
     */
    public PipelineResult run(Graph bound, PassPlan plan, List<Map<String, Tensor>> calibration) {
        if (!bound.isBound()) throw new IllegalArgumentException("the pass pipeline needs a graph with every param bound");
        if (verify) check(bound, "the pipeline's input");
        PassContext context = new PassContext(bound, calibration);
        Graph g = bound;
        List<PipelineStage> stages = new ArrayList<>();
        List<TargetReport> entries = new ArrayList<>();
        List<RuleStats> rules = new ArrayList<>();
        for (List<PlannedPass> stage : stages(plan)) {
            PassInfo info = stage.getFirst().pass();
            Pass pass = library.lookup(info.name()).orElseGet(() -> new NotImplementedPass(info));
            PassResult result = pass.run(g, stage, context);
            checkEntries(info.name(), stage, result.entries());
            g = result.graph();
            if (verify) check(g, "pass " + info.name() + " (stage " + (stages.size() + 1) + ")");
            stages.add(new PipelineStage(stages.size() + 1, info.name(), g, result.entries(), result.ruleStats()));
            entries.addAll(result.entries());
            rules.addAll(result.ruleStats());
        }
        PassReport report = new PassReport(entries, RuleStats.merge(rules), Footprints.ofGraph(bound), Footprints.ofGraph(g));
        return new PipelineResult(bound, g, report, stages);
    }

    /** The plan cut into runs of consecutive entries of one pass. */
    static List<List<PlannedPass>> stages(PassPlan plan) {
        List<List<PlannedPass>> out = new ArrayList<>();
        for (PlannedPass p : plan.passes()) {
            if (out.isEmpty() || !out.getLast().getFirst().passName().equals(p.passName())) out.add(new ArrayList<>());
            out.getLast().add(p);
        }
        return out;
    }

    private static void check(Graph g, String after) {
        List<String> violations = IrVerifier.verify(g);
        if (!violations.isEmpty()) {
            throw new IllegalStateException("IR invariants broken after " + after + ":\n  " + String.join("\n  ", violations));
        }
    }

    private static void checkEntries(String pass, List<PlannedPass> targets, List<TargetReport> entries) {
        List<String> expected = targets.stream().map(PlannedPass::target).toList();
        List<String> actual = entries.stream().map(TargetReport::target).toList();
        if (!expected.equals(actual)) {
            throw new IllegalStateException("pass " + pass + " reported on " + actual + " but was asked to run on " + expected);
        }
    }
}
