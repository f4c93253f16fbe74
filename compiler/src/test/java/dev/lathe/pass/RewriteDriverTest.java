package dev.lathe.pass;

import static dev.lathe.pass.TestGraph.B;
import static dev.lathe.pass.TestGraph.f32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.Graph;
import dev.lathe.ir.IrVerifier;
import dev.lathe.ir.Node;
import dev.lathe.ir.Value;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RewriteDriverTest {
    /** {@code neg(neg(x)) -> x}: redirects the uses of the outer neg to x. */
    static final class RemoveDoubleNeg implements Rule<Node.Unary> {
        @Override
        public Class<Node.Unary> root() {
            return Node.Unary.class;
        }

        @Override
        public RuleResult rewrite(Node.Unary node, RewriteContext context) {
            if (node.kind() != Node.UnaryKind.NEG) return RuleResult.noMatch("not a neg");
            for (Node n : context.graph().nodes()) {
                if (n instanceof Node.Unary inner && inner.kind() == Node.UnaryKind.NEG && inner.out().equals(node.x())) {
                    return new RuleResult.Rewritten(List.of(), Map.of(node.out(), inner.x()));
                }
            }
            return RuleResult.noMatch("the operand is not a neg");
        }
    }

    /** Rebuilds every relu as it was: always fires, so only the iteration cap ends a run. */
    static final class RebuildRelu implements Rule<Node.Unary> {
        @Override
        public Class<Node.Unary> root() {
            return Node.Unary.class;
        }

        @Override
        public RuleResult rewrite(Node.Unary node, RewriteContext context) {
            if (node.kind() != Node.UnaryKind.RELU) return RuleResult.noMatch("not a relu");
            return RuleResult.replaceWith(new Node.Unary(Node.UnaryKind.RELU, node.x(), node.out(), node.provenance()));
        }
    }

    /** Replaces a relu by nothing at all: a broken rule. */
    static final class DropRelu implements Rule<Node.Unary> {
        @Override
        public Class<Node.Unary> root() {
            return Node.Unary.class;
        }

        @Override
        public RuleResult rewrite(Node.Unary node, RewriteContext context) {
            return RuleResult.replaceWith();
        }
    }

    private static Graph negs(int count) {
        TestGraph t = new TestGraph();
        Value v = t.input("x", f32(B, 3));
        for (int i = 0; i < count; i++) v = t.op("neg", v);
        return t.build(t.op("relu", v));
    }

    @Test
    void runsRulesToAFixpointAndCountsWhatTheyDid() {
        Graph g = negs(4);
        RewriteDriver.Result r = new RewriteDriver("test", List.of(new RemoveDoubleNeg())).run(g);
        assertTrue(r.converged());
        // The first sweep removes both pairs, the second confirms nothing is left to do.
        assertEquals(2, r.iterations());
        assertTrue(IrVerifier.verify(r.graph()).isEmpty());
        Node relu = r.graph().nodes().getLast();
        assertEquals("relu", relu.opName());
        assertEquals(g.inputs().getFirst().value(), relu.inputs().getFirst());
        RuleStats s = r.stats().getFirst();
        assertEquals("RemoveDoubleNeg", s.rule());
        assertEquals(2, s.fired());
        // Sweep 1 sees neg1..neg4 and relu (5), sweep 2 the two negs left and relu (3).
        assertEquals(8, s.attempts());
        assertEquals(Map.of("not a neg", 2, "the operand is not a neg", 4), s.noMatch());
    }

    @Test
    void theIterationCapEndsARunThatNeverConverges() {
        RewriteDriver.Result r = new RewriteDriver("test", List.of(new RebuildRelu()), 5).run(negs(1));
        assertFalse(r.converged());
        assertEquals(5, r.iterations());
        assertEquals(5, r.stats().getFirst().fired());
        assertTrue(IrVerifier.verify(r.graph()).isEmpty());
    }

    @Test
    void aRuleThatLosesAnOutputIsABug() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new RewriteDriver("test", List.of(new DropRelu())).run(negs(0)));
        assertTrue(e.getMessage().startsWith("DropRelu must either define"), e.getMessage());
    }

    @Test
    void theFirstMatchingRuleWins() {
        RewriteDriver.Result r = new RewriteDriver("test", List.of(new RemoveDoubleNeg(), new RebuildRelu()), 3).run(negs(2));
        assertEquals(List.of(1, 3), r.stats().stream().map(RuleStats::fired).toList());
    }
}
