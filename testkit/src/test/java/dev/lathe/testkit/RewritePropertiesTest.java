package dev.lathe.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.lathe.ir.Dim;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphInput;
import dev.lathe.ir.GraphOutput;
import dev.lathe.ir.Node;
import dev.lathe.ir.Param;
import dev.lathe.ir.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RewritePropertiesTest {
    private static final GraphConfig LINEAR = GraphConfig.defaults().withOps("linear", "relu", "add");

    @Test
    void anIdentityRewritePreservesEverything() {
        qt().withFixedSeed(1).withExamples(200).forAll(GraphGens.cases()).checkAssert(RewriteProperties.preservesTypes(g -> g));
        qt().withFixedSeed(2).withExamples(200).forAll(GraphGens.cases()).checkAssert(RewriteProperties.preservesOutputs(g -> g));
    }

    @Test
    void aCorrectRewritePasses() {
        qt().withFixedSeed(3).withExamples(300).forAll(GraphGens.cases(LINEAR))
                .checkAssert(RewriteProperties.preservesOutputs(RewritePropertiesTest::splitLinearBias));
    }

    @Test
    void aRewriteThatChangesResultsIsCaught() {
        AssertionError e = assertThrows(AssertionError.class, () -> qt().withFixedSeed(4).withExamples(300).withShrinkCycles(500)
                .forAll(GraphGens.cases(LINEAR)).checkAssert(RewriteProperties.preservesOutputs(RewritePropertiesTest::dropLinearBias)));
        assertTrue(e.getMessage().contains("linear("), e.getMessage());
        assertTrue(e.getMessage().contains("the rewrite changed the outputs"), e.getMessage());
    }

    @Test
    void aRewriteThatChangesTheInterfaceIsCaught() {
        AssertionError e = assertThrows(AssertionError.class, () -> qt().withFixedSeed(5).withExamples(50).withShrinkCycles(100)
                .forAll(GraphGens.cases()).checkAssert(RewriteProperties.preservesTypes(RewritePropertiesTest::renameOutputs)));
        assertTrue(e.getMessage().contains("outputs [renamed0"), e.getMessage());
    }

    @Test
    void typeProblemsNameBrokenInvariantsAndUnboundParams() {
        GraphRecipe recipe = new GraphRecipe(1, Map.of("B", 1L, "S", 2L), List.of(List.of(Dim.of(2), Dim.of(3))),
                List.of(new GraphRecipe.Step("linear", List.of(0, 0, 0, 0, 0, 0, 0, 0)), new GraphRecipe.Step("relu", List.of(0))));
        Graph g = GraphGens.assemble(recipe, LINEAR).graph();
        assertEquals(List.of(), RewriteProperties.typeProblems(g, g));

        Graph withoutFirstNode = new Graph(g.name(), g.inputs(), g.params(), g.nodes().subList(1, g.nodes().size()), g.outputs(), g.dims());
        List<String> broken = RewriteProperties.typeProblems(g, withoutFirstNode);
        assertTrue(broken.stream().anyMatch(p -> p.startsWith("verifier: V2")), broken.toString());

        List<Param> unbound = g.params().stream().map(p -> p.withData(null)).toList();
        Graph forgotten = new Graph(g.name(), g.inputs(), unbound, g.nodes(), g.outputs(), g.dims());
        List<String> problems = RewriteProperties.typeProblems(g, forgotten);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("params without data: [p0")), problems.toString());
    }

    /** linear(x, w, b) to add(linear(x, w), b): the same value, rounded once more. */
    static Graph splitLinearBias(Graph g) {
        int next = maxId(g) + 1;
        List<Node> nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (n instanceof Node.Linear l && l.b() != null) {
                Value mid = new Value(next++, l.out().type(), "");
                nodes.add(new Node.Linear(l.x(), l.w(), null, mid, l.provenance()));
                nodes.add(new Node.Binary(Node.BinaryKind.ADD, mid, l.b(), l.out(), l.provenance()));
            } else {
                nodes.add(n);
            }
        }
        return new Graph(g.name(), g.inputs(), g.params(), nodes, g.outputs(), g.dims());
    }

    /** A wrong rule: linear(x, w, b) to linear(x, w). */
    static Graph dropLinearBias(Graph g) {
        List<Node> nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            nodes.add(n instanceof Node.Linear l ? new Node.Linear(l.x(), l.w(), null, l.out(), l.provenance()) : n);
        }
        return new Graph(g.name(), g.inputs(), g.params(), nodes, g.outputs(), g.dims());
    }

    static Graph renameOutputs(Graph g) {
        List<GraphOutput> outs = new ArrayList<>();
        for (int i = 0; i < g.outputs().size(); i++) outs.add(new GraphOutput("renamed" + i, g.outputs().get(i).value()));
        return new Graph(g.name(), g.inputs(), g.params(), g.nodes(), outs, g.dims());
    }

    private static int maxId(Graph g) {
        int max = -1;
        for (GraphInput in : g.inputs()) max = Math.max(max, in.value().id());
        for (Param p : g.params()) max = Math.max(max, p.value().id());
        for (Node n : g.nodes()) {
            for (Value v : n.outputs()) max = Math.max(max, v.id());
        }
        return max;
    }
}
