package dev.lathe.pass;

import static dev.lathe.pass.TestGraph.B;
import static dev.lathe.pass.TestGraph.f32;
import static dev.lathe.pass.TestGraph.gaussian;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.Graph;
import dev.lathe.ir.Node;
import dev.lathe.ir.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PassPipelineTest {
    static Graph twoLayers() {
        TestGraph t = new TestGraph();
        Value x = t.input("x", f32(B, 16));
        Value h = t.op("relu", t.op("linear", x, t.param("fc1.weight", gaussian(1, 24, 16))));
        return t.build(t.op("linear", h, t.param("fc2.weight", gaussian(2, 8, 24))));
    }

    @Test
    void passesRunInPlanOrderAndConsecutiveEntriesShareAStage() {
        Graph g = twoLayers();
        PipelineResult r = Plans.run(g, "lowrank(rank = 2) on \"fc1.weight\", \"fc2.weight\"", "quantize(bits = 8) on \"fc1.weight\"");
        assertEquals(List.of("lowrank", "quantize"), r.stages().stream().map(PipelineStage::pass).toList());
        assertEquals(List.of(1, 2), r.stages().stream().map(PipelineStage::index).toList());
        assertEquals(2, r.stages().getFirst().entries().size());
        assertEquals(List.of("fc1.weight", "fc2.weight", "fc1.weight"), r.report().targets().stream().map(TargetReport::target).toList());
        assertSame(r.stages().getLast().graph(), r.graph());
        assertEquals(Footprints.ofGraph(g), r.report().before());
        assertEquals(Footprints.ofGraph(r.graph()), r.report().after());
        assertEquals(2 * (24 + 16) + 2 * (8 + 24), r.report().after().params());
    }

    @Test
    void unimplementedModesSkipEveryTargetAndSaySo() {
        Graph g = twoLayers();
        PipelineResult r = Plans.run(g, "quantize(scheme = \"dgq\") on \"fc1.weight\"");
        assertSame(g, r.graph());
        assertEquals(1, r.report().skipped().size());
        for (TargetReport t : r.report().targets()) {
            assertEquals(SkipReason.Kind.NOT_IMPLEMENTED, t.reason().kind());
            assertTrue(t.reason().message().endsWith("is not implemented in this version"), t.reason().message());
            assertEquals(t.before(), t.after());
        }
        // The entry of fc1.weight reports the weight's size: 24 * 16 f32 values.
        assertEquals(24 * 16 * 4, r.report().targets().get(0).before().bytes());
    }

    /** A pass that drops the graph's last node but leaves the output reading it. */
    private static final class BreakingPass implements Pass {
        @Override
        public PassInfo info() {
            return RoundWeightsPass.INFO;
        }

        @Override
        public PassResult run(Graph graph, List<PlannedPass> targets, PassContext context) {
            List<Node> nodes = new ArrayList<>(graph.nodes());
            nodes.removeLast();
            Graph broken = new Graph(graph.name(), graph.inputs(), graph.params(), nodes, graph.outputs(), graph.dims());
            return new PassResult(broken, targets.stream().map(t -> TargetReport.applied(t, Footprint.ZERO, Footprint.ZERO, List.of(), Map.of())).toList(),
                    List.of());
        }
    }

    @Test
    void theVerifierRunsAfterEveryPassAndNamesTheCulprit() {
        Graph g = twoLayers();
        PassLibrary library = new PassLibrary(List.of(new BreakingPass()));
        PassPlan plan = Plans.plan(library.registry(), g, "round() on \"fc1.weight\"");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new PassPipeline(library, true).run(g, plan));
        assertTrue(e.getMessage().startsWith("IR invariants broken after pass round (stage 1)"), e.getMessage());
        assertTrue(e.getMessage().contains("V2: output y uses"), e.getMessage());
    }

    @Test
    void aPassMustReportOnEveryTargetInOrder() {
        Graph g = twoLayers();
        Pass silent = new Pass() {
            @Override
            public PassInfo info() {
                return RoundWeightsPass.INFO;
            }

            @Override
            public PassResult run(Graph graph, List<PlannedPass> targets, PassContext context) {
                return new PassResult(graph, List.of(), List.of());
            }
        };
        PassLibrary library = new PassLibrary(List.of(silent));
        PassPlan plan = Plans.plan(library.registry(), g, "round() on \"fc1.weight\"");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new PassPipeline(library, true).run(g, plan));
        assertEquals("pass round reported on [] but was asked to run on [fc1.weight]", e.getMessage());
    }

    @Test
    void anUnboundGraphIsRefused() {
        Graph g = twoLayers();
        Graph unbound = new Graph(g.name(), g.inputs(), g.params().stream().map(p -> p.withData(null)).toList(), g.nodes(), g.outputs(), g.dims());
        assertThrows(IllegalArgumentException.class, () -> PassPipeline.standard().run(unbound, PassPlan.EMPTY));
    }

    @Test
    void anEmptyPlanReturnsTheGraphAsItWas() {
        Graph g = twoLayers();
        PipelineResult r = PassPipeline.standard().run(g, PassPlan.EMPTY);
        assertSame(g, r.graph());
        assertTrue(r.stages().isEmpty());
        assertEquals(r.report().before(), r.report().after());
    }

    @Test
    void theReportTableListsEveryTargetWithItsCertificateOrReason() {
        PipelineResult r = Plans.run(twoLayers(), "lowrank(rank = 2) on \"fc1.weight\"", "lowrank(rank = 7) on \"fc2.weight\"",
                "quantize() on \"fc1.weight\"");
        String text = ReportTable.render(r.report());
        List<List<String>> rows = text.lines().takeWhile(l -> !l.isEmpty()).map(l -> List.of(l.split(" {2,}"))).toList();
        assertEquals(List.of("pass", "target", "result", "params", "bytes", "FLOPs"), rows.get(0));
        // 24 * 16 = 384 -> 2 * (24 + 16) = 80; FLOPs 2 * 24 * 16 = 768 -> 2 * 2 * (16 + 24) = 160 per row.
        assertEquals(List.of("lowrank", "fc1.weight", "rank 2", "384 -> 80 (-79.2%)", "1536 -> 320 (-79.2%)", "768 * B -> 160 * B"), rows.get(1));
        assertEquals(List.of("lowrank", "fc2.weight", "skipped (unprofitable)", "192", "768", "384 * B -> 384 * B"), rows.get(2));
        // lowrank replaced fc1.weight by its factors, so the weight quantize names has no size left.
        assertEquals(List.of("quantize", "fc1.weight", "skipped (precondition failed)", "0", "0", "0 -> 0"), rows.get(3));
        assertEquals("total", rows.get(4).get(0));
        assertTrue(text.contains("\nfc1.weight (lowrank, rank = 2 -> rank 2 of 16)\n"), text);
        assertTrue(text.contains("  ||W - BA||_F = "), text);
        assertTrue(text.contains("\nfc1.weight (quantize): skipped, precondition failed: the graph no longer has this param (an earlier pass "
                + "replaced it)\n"), text);
    }
}
