package dev.lathe.pass;

import dev.lathe.ir.Graph;
import java.util.List;

/**
 * A pass (DESIGN.md §5): its registered metadata and the rewrite that carries it out. A pass is
 * given a bound graph and every {@link PlannedPass} of one pipeline stage (the consecutive plan
 * entries naming it) and returns the rewritten graph with exactly one {@link TargetReport} per
 * target, in the targets' order. A target the pass cannot or should not rewrite is not an error:
 * it is reported as skipped with its reason (precondition failed, unprofitable, not implemented),
 * never dropped silently. Implementations are stateless and thread-safe.
 */
public interface Pass {
    PassInfo info();

    /**
     * @param graph   a bound graph that passes {@link dev.lathe.ir.IrVerifier}
     * @param targets the plan entries of this pass for this stage, in pipeline order
     * @param context what the pipeline knows beyond the graph (the uncompressed graph, calibration inputs)
     */
    PassResult run(Graph graph, List<PlannedPass> targets, PassContext context);

    default String name() {
        return info().name();
    }
}
