package dev.lathe.pass;

import dev.lathe.ir.Graph;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A registered pass whose rewrite this version does not have: it leaves the graph as it is and
 * reports every target as skipped, "not implemented in this version", so that asking for it is
 * never a silent no-op (the CLI warns about each such target).
 */
public final class NotImplementedPass implements Pass {
    private final PassInfo info;

    public NotImplementedPass(PassInfo info) {
        this.info = Objects.requireNonNull(info, "info");
    }

    @Override
    public PassInfo info() {
        return info;
    }

    @Override
    public PassResult run(Graph graph, List<PlannedPass> targets, PassContext context) {
        return new PassResult(graph,
                targets.stream().map(t -> TargetReport.skipped(t, SkipReason.notImplemented(), Footprints.ofTarget(graph, t), Map.of())).toList(),
                List.of());
    }
}
