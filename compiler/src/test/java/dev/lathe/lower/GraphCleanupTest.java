package dev.lathe.lower;

import static dev.lathe.lower.TestGraphs.B;
import static dev.lathe.lower.TestGraphs.P;
import static dev.lathe.lower.TestGraphs.d;
import static dev.lathe.lower.TestGraphs.f32;
import static dev.lathe.lower.TestGraphs.op;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphBuilder;
import dev.lathe.ir.IrVerifier;
import dev.lathe.ir.Node;
import dev.lathe.ir.Value;
import dev.lathe.runtime.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphCleanupTest {
    @Test
    void equalNodesAreComputedOnce() {
        GraphBuilder g = new GraphBuilder("main");
        g.dim("B", 1L, 4L);
        Value x = g.input("x", f32(B, d(3)), P);
        Value a = op(g, "exp", x);
        Value b = op(g, "exp", x);
        Value y = op(g, "add", a, b);
        Graph clean = GraphCleanup.run(g.build(List.of(y), List.of("y")));
        assertEquals(List.of(), IrVerifier.verify(clean));
        assertEquals(2, clean.nodes().size());
        Node.Binary add = assertInstanceOf(Node.Binary.class, clean.nodes().get(1));
        assertEquals(add.a(), add.b());
    }

    @Test
    void nodesNoOutputNeedsAreDropped() {
        GraphBuilder g = new GraphBuilder("main");
        Value x = g.input("x", f32(d(3)), P);
        op(g, "tanh", x);
        Value y = op(g, "neg", x);
        Graph clean = GraphCleanup.run(g.build(List.of(y), List.of("y")));
        assertEquals(List.of("neg"), clean.nodes().stream().map(Node::opName).toList());
    }

    @Test
    void nodesOfConstantsBecomeTheConstantTheInterpreterComputes() {
        GraphBuilder g = new GraphBuilder("main");
        Value x = g.input("x", f32(d(2)), P);
        Value c = g.constant(Tensor.ofFloats(new long[] {2}, new float[] {1, -2}), P);
        Value folded = op(g, "exp", op(g, "abs", c));
        Value y = op(g, "mul", x, folded);
        Graph before = g.build(List.of(y), List.of("y"));
        Graph clean = GraphCleanup.run(before);
        assertEquals(List.of("constant", "mul"), clean.nodes().stream().map(Node::opName).toList());
        Map<String, Tensor> in = Map.of("x", Tensor.ofFloats(new long[] {2}, new float[] {3, 4}));
        assertEquals(Interpreter.run(before, in), Interpreter.run(clean, in));
    }
}
