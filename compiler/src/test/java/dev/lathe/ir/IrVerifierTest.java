package dev.lathe.ir;

import static dev.lathe.ir.IrFixtures.B;
import static dev.lathe.ir.IrFixtures.P;
import static dev.lathe.ir.IrFixtures.S;
import static dev.lathe.ir.IrFixtures.attrs;
import static dev.lathe.ir.IrFixtures.call;
import static dev.lathe.ir.IrFixtures.f32;
import static dev.lathe.ir.IrFixtures.ins;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IrVerifierTest {
    /** A small transformer-ish block through the builder: every op family once. */
    static Graph block() throws OpTypeException {
        GraphBuilder g = new GraphBuilder("main");
        g.dim("B", 1L, 8L);
        g.dim("S", 1L, 512L);
        Value x = g.input("x", f32(B, S, 64), P);
        Value ids = g.input("ids", IrFixtures.type(DType.I64, B, S), P);
        Value table = g.param("embed.weight", f32(100, 64), P);
        Value lnW = g.param("ln.weight", f32(64), P);
        Value lnB = g.param("ln.bias", f32(64), P);
        Value w = g.param("fc.weight", f32(192, 64), P);
        Value e = call(g, "embedding", ins(ids, table), Map.of());
        Value h = call(g, "add", ins(x, e), Map.of());
        Value n = call(g, "layer_norm", ins(h, lnW, lnB), attrs("axis", -1, "eps", 1e-5));
        Value qkv = call(g, "linear", ins(n, w, null), Map.of());
        List<Value> parts = g.op("split", ins(qkv), attrs("parts", 3, "axis", -1), P);
        Value a = call(g, "attention", ins(parts.get(0), parts.get(1), parts.get(2)), attrs("heads", 4, "causal", true));
        Value c = g.constant(Tensor.scalar(0.5f), P);
        Value y = call(g, "gelu", ins(call(g, "mul", ins(a, c), Map.of())), attrs("mode", "erf"));
        Value pooled = call(g, "mean", ins(y), attrs("axes", new int[] {1}, "keepdims", false));
        return g.build(List.of(y, pooled), List.of("y", "pooled"));
    }

    private static void assertReports(String invariant, Graph g) {
        List<String> violations = IrVerifier.verify(g);
        assertTrue(violations.stream().anyMatch(v -> v.startsWith(invariant + ":")), invariant + " not in " + violations);
    }

    @Test
    void builtGraphIsClean() throws OpTypeException {
        Graph g = block();
        assertEquals(List.of(), IrVerifier.verify(g));
        assertEquals(List.of(), IrVerifier.verify(g.withParamData(Map.of("ln.weight", Tensor.zeros(DType.F32, new long[] {64})))));
    }

    @Test
    void valuesAreNumberedInCreationOrder() throws OpTypeException {
        Graph g = block();
        List<Integer> ids = new ArrayList<>();
        g.inputs().forEach(i -> ids.add(i.value().id()));
        g.params().forEach(p -> ids.add(p.value().id()));
        g.nodes().forEach(n -> n.outputs().forEach(v -> ids.add(v.id())));
        List<Integer> sorted = new ArrayList<>(ids);
        sorted.sort(null);
        // Inputs and params are made before the first node here, so the order of definition is the order of ids.
        assertEquals(sorted, ids);
        assertEquals(0, ids.getFirst());
    }

    @Test
    void v1ValueDefinedTwice() {
        Value x = new Value(0, f32(4), "x");
        Node.Unary n = new Node.Unary(Node.UnaryKind.RELU, x, new Value(0, f32(4), ""), P);
        Graph g = new Graph("g", List.of(new GraphInput("x", x, P)), List.of(), List.of(n), List.of(new GraphOutput("y", x)), Map.of());
        assertReports("V1", g);
    }

    @Test
    void v2UseBeforeDefinitionAndWrongType() {
        Value x = new Value(0, f32(4), "x");
        Value y = new Value(1, f32(4), "");
        Value z = new Value(2, f32(4), "");
        Node first = new Node.Unary(Node.UnaryKind.RELU, x, y, P);
        Node second = new Node.Unary(Node.UnaryKind.NEG, y, z, P);
        List<GraphInput> in = List.of(new GraphInput("x", x, P));
        assertReports("V2", new Graph("g", in, List.of(), List.of(second, first), List.of(new GraphOutput("z", z)), Map.of()));
        assertReports("V2", new Graph("g", in, List.of(), List.of(first), List.of(new GraphOutput("z", z)), Map.of()));
        Value retyped = new Value(0, f32(5), "x");
        Node wrong = new Node.Unary(Node.UnaryKind.RELU, retyped, new Value(1, f32(5), ""), P);
        assertReports("V2", new Graph("g", in, List.of(), List.of(wrong), List.of(new GraphOutput("y", x)), Map.of()));
    }

    @Test
    void v4ParamPaths() {
        Value p0 = new Value(0, f32(4), "");
        Value p1 = new Value(1, f32(4), "");
        Value p2 = new Value(2, f32(S), "");
        GraphOutput out = new GraphOutput("y", p0);
        assertReports("V4", new Graph("g", List.of(), List.of(new Param("w", p0, P, null), new Param("w", p1, P, null)), List.of(), List.of(out), Map.of("S", DimBounds.UNBOUNDED)));
        assertReports("V4", new Graph("g", List.of(), List.of(new Param("", p0, P, null)), List.of(), List.of(out), Map.of()));
        assertReports("V4", new Graph("g", List.of(), List.of(new Param("w", p0, P, null), new Param("s", p2, P, null)), List.of(), List.of(out), Map.of("S", DimBounds.UNBOUNDED)));
    }

    @Test
    void v5Names() {
        Value x = new Value(0, f32(4), "");
        Value y = new Value(1, f32(4), "");
        List<GraphInput> twice = List.of(new GraphInput("x", x, P), new GraphInput("x", y, P));
        assertReports("V5", new Graph("g", twice, List.of(), List.of(), List.of(new GraphOutput("o", x)), Map.of()));
        List<GraphInput> in = List.of(new GraphInput("x", x, P));
        assertReports("V5", new Graph("g", in, List.of(), List.of(), List.of(new GraphOutput("o", x), new GraphOutput("o", x)), Map.of()));
        assertReports("V5", new Graph("g", in, List.of(), List.of(), List.of(), Map.of()));
        assertReports("V5", new Graph("g", in, List.of(), List.of(), List.of(new GraphOutput("", x)), Map.of()));
    }

    @Test
    void v6UndeclaredDim() {
        // The input with S is missing from the graph, so S appears from nowhere.
        Value x = new Value(0, f32(S), "x");
        Value y = new Value(1, f32(S), "");
        Node n = new Node.Unary(Node.UnaryKind.RELU, x, y, P);
        Value other = new Value(2, f32(B), "b");
        Graph g = new Graph("g", List.of(new GraphInput("b", other, P)), List.of(), List.of(n), List.of(new GraphOutput("y", y)), Map.of());
        assertReports("V6", g);
        Graph declared = new Graph("g", List.of(new GraphInput("x", x, P)), List.of(), List.of(n), List.of(new GraphOutput("y", y)), Map.of());
        assertEquals(List.of(), IrVerifier.verify(declared));
    }

    @Test
    void v7BoundDataMustMatch() {
        Value w = new Value(0, f32(2, 3), "");
        GraphOutput out = new GraphOutput("w", w);
        Tensor wrongShape = Tensor.zeros(DType.F32, new long[] {3, 2});
        Tensor wrongType = Tensor.zeros(DType.F64, new long[] {2, 3});
        assertReports("V7", new Graph("g", List.of(), List.of(new Param("w", w, P, wrongShape)), List.of(), List.of(out), Map.of()));
        assertReports("V7", new Graph("g", List.of(), List.of(new Param("w", w, P, wrongType)), List.of(), List.of(out), Map.of()));
        Tensor right = Tensor.zeros(DType.F32, new long[] {2, 3});
        assertEquals(List.of(), IrVerifier.verify(new Graph("g", List.of(), List.of(new Param("w", w, P, right)), List.of(), List.of(out), Map.of())));
    }
}
