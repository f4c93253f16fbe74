package dev.lathe.pass;

import dev.lathe.ir.Costs;
import dev.lathe.ir.Dim;
import dev.lathe.ir.Graph;
import dev.lathe.ir.Node;
import dev.lathe.ir.Param;
import java.util.Collection;

/** The {@link Footprint}s passes report: of a whole graph, a param target, an instance target, some nodes. */
public final class Footprints {
    private Footprints() {}

    public static Footprint ofGraph(Graph g) {
        return new Footprint(Costs.params(g), Costs.bytes(g), Costs.flops(g));
    }

    /** A param's elements and bytes, and the FLOPs of the nodes that read it; zero when the graph has no such param. */
    public static Footprint ofParam(Graph g, String path) {
        for (Param p : g.params()) {
            if (p.path().equals(path)) return new Footprint(Costs.paramCount(p), Costs.bytes(p), flops(GraphEdits.users(g, p.value())));
        }
        return Footprint.ZERO;
    }

    /** The FLOPs of the nodes made by the instance at {@code path} or inside it; instances own no params here. */
    public static Footprint ofInstance(Graph g, String path) {
        return new Footprint(0, 0, flops(g.nodes().stream()
                .filter(n -> n.provenance().instancePath().equals(path) || n.provenance().instancePath().startsWith(path + "."))
                .toList()));
    }

    public static Dim flops(Collection<Node> nodes) {
        Dim total = Dim.of(0);
        for (Node n : nodes) total = total.plus(Costs.flops(n));
        return total;
    }

    /** The footprint of a target as a skipped entry reports it. */
    public static Footprint ofTarget(Graph g, PlannedPass planned) {
        return planned.pass().target() == TargetKind.PARAM ? ofParam(g, planned.target()) : ofInstance(g, planned.target());
    }
}
