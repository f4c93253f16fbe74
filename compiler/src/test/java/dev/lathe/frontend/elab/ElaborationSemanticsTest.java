package dev.lathe.frontend.elab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.Dim;
import dev.lathe.ir.DimBounds;
import dev.lathe.ir.Graph;
import dev.lathe.ir.Node;
import dev.lathe.ir.Param;
import dev.lathe.ir.TensorType;
import dev.lathe.pass.PassStatement;
import dev.lathe.runtime.DType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Language semantics the elaborator decides, on small in-memory models. */
class ElaborationSemanticsTest {

    private static Graph graph(String body) {
        return Fixtures.elaborate("model t version 1;\nimport std.nn.*;\n" + body).graph();
    }

    private static String outputType(String body) {
        return graph(body).outputs().getFirst().value().type().toString();
    }

    private static List<String> opPaths(Graph g) {
        return g.nodes().stream().filter(n -> !(n instanceof Node.Constant)).map(n -> n.provenance().instancePath()).toList();
    }

    @Test
    void linearPatternIsSolvedByExactDivision() {
        String halves = "block Halves(x: f32[2 * I]) -> f32[2, I] { return reshape(x, shape = [2, I]); }\n";
        assertEquals("f32[2, 128]", outputType(halves + "graph main(x: f32[256]) -> f32[2, 128] { return Halves(x); }"));
        assertEquals("f32[2, S]", outputType("dim S in 1..8;\n" + halves
                + "graph main(x: f32[2 * S]) -> f32[2, S] { return Halves(x); }"));
        assertEquals("f32[2, S + 1]", outputType("dim S in 1..8;\n" + halves
                + "graph main(x: f32[2 * S + 2]) -> f32[2, S + 1] { return Halves(x); }"));
    }

    @Test
    void patternDimsAreSolvedInAnyOrder() {
        // I appears first inside 3 * I, but only y binds it directly.
        String src = "block Pair(x: f32[3 * I], y: f32[I]) -> f32[I] { return y; }\n"
                + "graph main(x: f32[12], y: f32[4]) -> f32[4] { return Pair(x, y); }";
        assertEquals("f32[4]", outputType(src));
    }

    @Test
    void ellipsisReproducesLeadingDims() {
        assertEquals("f32[B, S, 4]", outputType("dim B; dim S;\n"
                + "graph main(x: f32[B, S, 16]) -> f32[B, S, 4] { return Linear(x, out = 4) named \"fc\"; }"));
        assertEquals("f32[4]", outputType("graph main(x: f32[16]) -> f32[4] { return Linear(x, out = 4) named \"fc\"; }"));
    }

    @Test
    void unknownInputDimsBecomeFreshDimsNamedAfterTheInput() {
        Graph g = graph("graph main(x: f32[?, 8, ?]) -> f32[?, 8, ?] { return relu(x); }");
        assertEquals(new TensorType(DType.F32, List.of(Dim.var("x.0"), Dim.of(8), Dim.var("x.2"))), g.inputs().getFirst().value().type());
        assertEquals(Map.of("x.0", DimBounds.UNBOUNDED, "x.2", DimBounds.UNBOUNDED), g.dims());
    }

    @Test
    void opsNamedByAssignmentGetSuffixesWhenRepeated() {
        Graph g = graph("graph main(x: f32[4]) -> f32[4] {\n  x = relu(x);\n  x = relu(x);\n  repeat i in 0..2 { x = tanh(x); }\n"
                + "  return sigmoid(relu(x));\n}");
        assertEquals(List.of("x", "x_1", "x_2", "x_3", "relu_2", "sigmoid_0"), opPaths(g));
    }

    @Test
    void callCountersCountEveryCallInEvaluationOrder() {
        Graph g = graph("graph main(x: f32[4]) -> f32[4] {\n  a = relu(x) named \"first\";\n  return relu(relu(x)) + a;\n}");
        // The named call is relu number 0; the inner call is evaluated before the outer one.
        assertEquals(List.of("first", "relu_1", "relu_2", "add_0"), opPaths(g));
    }

    @Test
    void namedStringsInterpolateCompileTimeValues() {
        ElaboratedModel m = Fixtures.elaborate("model t version 1;\nimport std.nn.*;\nconst W = 3;\n"
                + "graph main(x: f32[W]) -> f32[W] {\n  repeat i in 1..3 { x = Linear(x, out = W) named \"stage{i}.w{W}\"; }\n  return x;\n}");
        assertEquals(List.of("stage1.w3.weight", "stage1.w3.bias", "stage2.w3.weight", "stage2.w3.bias"),
                m.graph().params().stream().map(Param::path).toList());
        assertEquals("Linear", m.instances().get("stage2.w3").callee());
    }

    @Test
    void scalarsBecomeConstantsOfTheTensorsType() {
        Graph g = graph("graph main(x: f32[4], n: i64[4]) -> (a: f32[4], b: i64[4]) { return x * 0.5 - 1, n + 2; }");
        List<Node.Constant> constants = g.nodes().stream().filter(n -> n instanceof Node.Constant).map(n -> (Node.Constant) n).toList();
        assertEquals(3, constants.size());
        assertEquals(DType.F32, constants.get(0).value().dtype());
        assertEquals(0.5, constants.get(0).value().getDouble(0));
        assertEquals(0, constants.get(0).value().rank());
        assertEquals(1.0, constants.get(1).value().getDouble(0));
        assertEquals(DType.I64, constants.get(2).value().dtype());
        assertEquals(2L, constants.get(2).value().getLong(0));
        assertEquals("i64[4]", g.outputs().get(1).value().type().toString());
    }

    @Test
    void castAcceptsABareDtypeName() {
        assertEquals("f16[2, 3]", outputType("graph main(x: f32[2, 3]) -> f16[2, 3] { return cast(x, dtype = f16); }"));
        assertEquals("i32[2, 3]", outputType("graph main(x: f32[2, 3]) -> i32[2, 3] { return cast(x, dtype = \"i32\"); }"));
    }

    @Test
    void variadicInputAbsorbsConsecutiveTensors() {
        assertEquals("f32[2, 9]", outputType("graph main(a: f32[2, 2], b: f32[2, 3], c: f32[2, 4]) -> f32[2, 9] {"
                + " return concat(a, b, c, axis = 1); }"));
        assertEquals("f32[4, 2]", outputType("graph main(a: f32[2, 2], b: f32[2, 2]) -> f32[4, 2] { return concat(a, b, 0); }"));
    }

    @Test
    void multipleResultsBindToMultipleTargets() {
        Graph g = graph("graph main(x: f32[2, 6]) -> (p: f32[2, 2], q: f32[2, 2], r: f32[2, 2]) {\n"
                + "  a, b, c = split(x, parts = 3, axis = -1);\n  return a, b, c;\n}");
        assertEquals(List.of("p", "q", "r"), g.outputs().stream().map(o -> o.name()).toList());
        assertEquals("split_0", opPaths(g).getFirst());
    }

    @Test
    void severalUnnamedResultsAreNumberedOutputs() {
        Graph g = graph("graph main(x: f32[2]) -> (f32[2], f32[2]) { return relu(x), neg(x); }");
        assertEquals(List.of("output0", "output1"), g.outputs().stream().map(o -> o.name()).toList());
    }

    @Test
    void conditionalParamIsAbsentAndOptionalInputsAcceptIt() {
        Graph g = graph("block Affine(x: f32[4], shift: bool) -> f32[4] {\n  param w: f32[4, 4];\n  param b: f32[4] if shift;\n"
                + "  return linear(x, w, b);\n}\n"
                + "graph main(x: f32[4]) -> f32[4] { y = Affine(x, shift = false) named \"plain\"; return Affine(y, shift = true) named \"shifted\"; }");
        assertEquals(List.of("plain.w", "shifted.w", "shifted.b"), g.params().stream().map(Param::path).toList());
        List<Node.Linear> linears = g.nodes().stream().filter(n -> n instanceof Node.Linear).map(n -> (Node.Linear) n).toList();
        assertNull(linears.get(0).b());
        assertEquals(g.param("shifted.b").value(), linears.get(1).b());
    }

    @Test
    void ifElseChainsChooseAtCompileTime() {
        ElaboratedModel m = Fixtures.elaborate("model t version 1;\nimport std.nn.*;\n"
                + "graph main(x: f32[4]) -> f32[4] { return Activation(x, act = \"silu\") named \"act\"; }");
        assertEquals(List.of("act.x"), opPaths(m.graph()));
        assertEquals("silu", m.instances().get("act.x").callee());
    }

    @Test
    void repeatIsHalfOpenAndRebindsOuterNames() {
        Graph g = graph("const N = 3;\ngraph main(x: f32[4]) -> f32[4] {\n  repeat i in 1..N { x = x * i; }\n  return x;\n}");
        // Iterations 1 and 2 only: two constants and two multiplications.
        assertEquals(4, g.nodes().size());
        Node last = g.nodes().getLast();
        assertEquals(last.outputs().getFirst(), g.outputs().getFirst().value());
        assertEquals(2.0, ((Node.Constant) g.nodes().get(2)).value().getDouble(0));
    }

    @Test
    void graphParamsHaveBarePaths() {
        Graph g = graph("graph main(x: f32[3]) -> f32[3] { param gain: f32[3]; return x * gain; }");
        assertEquals("gain", g.params().getFirst().path());
        assertEquals("gain", g.params().getFirst().provenance().instancePath());
    }

    @Test
    void paramShapesMayUseTypeVariablesAndPatternVariables() {
        Graph g = graph("block Scale(x: T[..., C]) -> T[..., C] { param s: T[C]; return x * s; }\n"
                + "graph main(x: f64[2, 5]) -> f64[2, 5] { return Scale(x) named \"sc\"; }");
        assertEquals(TensorType.of(DType.F64, 5), g.param("sc.s").type());
    }

    @Test
    void compileTimeArithmeticFollowsTheLanguage() {
        Graph g = graph("const A = 7, Bq = A / 7 + A % 4, F = 2 * 0.25, OK = A > 3 && !(A == 8) || false;\n"
                + "graph main(x: f32[Bq]) -> f32[Bq] {\n  assert OK && F == 0.5 : \"bad\";\n  return x;\n}");
        // 7 / 7 + 7 % 4 = 1 + 3
        assertEquals(TensorType.of(DType.F32, 4), g.inputs().getFirst().value().type());
    }

    @Test
    void graphAttributesTakeTheirDefaults() {
        assertEquals("f32[2, 6]", outputType("graph main(x: f32[2, 3], times: int = 2) -> f32[2, 6] {"
                + " return reshape(concat(x, x, axis = 0), shape = [2, 3 * times]); }"));
    }

    @Test
    void theOnlyGraphIsChosenAndOthersByName() {
        String two = "model t version 1;\ngraph enc(x: f32[2]) -> f32[2] { return relu(x); }\n"
                + "graph dec(x: f32[3]) -> f32[3] { return neg(x); }";
        assertEquals("dec", Fixtures.elaborate("dec", Map.of("main.model", two), "main.model").graph().name());
        String one = "model t version 1;\ngraph enc(x: f32[2]) -> f32[2] { return relu(x); }";
        assertEquals("enc", Fixtures.elaborate(null, Map.of("main.model", one), "main.model").graph().name());
    }

    @Test
    void userBlocksShadowPrimitives() {
        ElaboratedModel m = Fixtures.elaborate("model t version 1;\n"
                + "block relu(x: f32[...]) -> f32[...] { return sigmoid(x); }\n"
                + "graph main(x: f32[2]) -> f32[2] { return relu(x); }");
        assertEquals(InstanceInfo.Kind.BLOCK, m.instances().get("relu_0").kind());
        assertEquals("sigmoid", m.instances().get("relu_0.sigmoid_0").callee());
    }

    @Test
    void pathImportsWithAndWithoutAlias() {
        String lib = "model lib version 1;\nconst K = 5;\nblock Twice(x: f32[...]) -> f32[...] { return x + x; }\n";
        String helper = "model helper version 1;\nblock Half(x: f32[...]) -> f32[...] { return x * 0.5; }\n";
        String main = "model m version 1;\nimport \"blocks/lib.model\" as lib;\nimport \"blocks/helper.model\";\n"
                + "graph main(x: f32[lib.K]) -> f32[lib.K] { return Half(lib.Twice(x) named \"t\") named \"h\"; }";
        ElaboratedModel m = Fixtures.elaborate(null, Map.of("main.model", main, "blocks/lib.model", lib,
                "blocks/helper.model", helper), "main.model");
        assertEquals("f32[5]", m.graph().outputs().getFirst().value().type().toString());
        assertEquals("Twice", m.instances().get("t").callee());
        assertEquals("Half", m.instances().get("h").callee());
        // The block body resolves in its own module: it knows std.ops without importing it.
        assertEquals("add", m.instances().get("t.add_0").callee());
    }

    @Test
    void standardModuleAlias() {
        ElaboratedModel m = Fixtures.elaborate("model t version 1;\nimport std.nn as nn;\n"
                + "graph main(x: f32[2, 3]) -> f32[2, 3] { return nn.LayerNorm(x, eps = 0.001) named \"ln\"; }");
        Node.LayerNorm ln = (Node.LayerNorm) m.graph().nodes().getFirst();
        assertEquals(0.001, ln.eps());
    }

    @Test
    void weightsDeclarationResolvesAgainstTheModelFile() {
        String src = "model t version 1;\nweights \"data/w.safetensors\" lenient {\n  rename \"layers.{i}.\" -> \"blk.{i}.\";\n}\n"
                + "graph main(x: f32[2]) -> f32[2] { return x; }";
        ElaboratedModel m = Fixtures.elaborate(null, Map.of("models/main.model", src), "models/main.model");
        assertEquals(Fixtures.MEMORY_ROOT.resolve("models/data/w.safetensors"), m.weights().file());
        assertTrue(m.weights().lenient());
        assertEquals("layers.{i}.", m.weights().renames().getFirst().from());
        assertEquals("blk.{i}.", m.weights().renames().getFirst().to());
    }

    @Test
    void weightsOverrideKeepsRenames() {
        String src = "model t version 1;\nweights \"w.safetensors\" { rename \"a.\" -> \"b.\"; }\n"
                + "graph main(x: f32[2]) -> f32[2] { return x; }";
        java.nio.file.Path override = java.nio.file.Path.of("/elsewhere/other.npz");
        ElaborationOptions opts = ElaborationOptions.defaults().withWeightsOverride(override).withRoot(Fixtures.MEMORY_ROOT)
                .withSourceReader(p -> p.equals(Fixtures.MEMORY_ROOT.resolve("main.model")) ? src : null);
        ElaboratedModel m = Elaborator.elaborate(Fixtures.MEMORY_ROOT.resolve("main.model"), null, opts);
        assertEquals(override, m.weights().file());
        assertFalse(m.weights().lenient());
        assertEquals(1, m.weights().renames().size());
    }

    @Test
    void annotationsInsideBlocksAndLoopsTargetEachInstance() {
        ElaboratedModel m = Fixtures.elaborate("model t version 1;\nimport std.nn.*;\n"
                + "block Cell(x: f32[4]) -> f32[4] {\n  @lowrank(ratio = 0.5, keep = [1, 2])\n  param w: f32[4, 4];\n"
                + "  @sparsify(pattern = \"2:4\")\n  y = linear(x, w);\n  return y;\n}\n"
                + "graph main(x: f32[4]) -> f32[4] {\n  repeat i in 0..2 { x = Cell(x) named \"c{i}\"; }\n  return x;\n}\n"
                + "passes { quantize(bits = 8) on \"c0.w\"; }");
        List<PassStatement> p = m.passes();
        assertEquals(List.of("lowrank", "sparsify", "lowrank", "sparsify", "quantize"), p.stream().map(PassStatement::pass).toList());
        assertEquals(List.of(List.of("c0.w"), List.of("c0.y"), List.of("c1.w"), List.of("c1.y"), List.of("c0.w")),
                p.stream().map(PassStatement::selectors).toList());
        assertEquals(Map.of("ratio", 0.5, "keep", List.of(1L, 2L)), p.getFirst().args());
    }

    @Test
    void symbolicDimsFlowThroughOps() {
        Graph g = graph("dim B in 1..4;\ndim S in 1..8;\n"
                + "graph main(x: f32[B, 2 * S, 6]) -> f32[B, 2 * S, 3] { a, b = split(x, parts = 2, axis = -1); return a * b; }");
        assertEquals(new TensorType(DType.F32, List.of(Dim.var("B"), Dim.var("S").times(2), Dim.of(3))),
                g.outputs().getFirst().value().type());
    }

    @Test
    void statementsAfterReturnAreWarnedOnceAndNotRun() {
        ElaboratedModel m = Fixtures.elaborate("model t version 1;\n"
                + "block Twice(x: f32[4]) -> f32[4] {\n  return x + x;\n  y = x * x;\n  return y;\n}\n"
                + "graph main(x: f32[4]) -> f32[4] {\n  a = Twice(x);\n  b = Twice(a);\n  return b;\n}\n");
        List<dev.lathe.diag.Diagnostic> warnings = m.warnings().stream().filter(d -> d.code().equals("E0210")).toList();
        assertEquals(1, warnings.size(), "one warning per definition, not per instance: " + m.warnings());
        assertEquals(4, warnings.getFirst().span().line());
        assertFalse(warnings.getFirst().isError());
        assertTrue(m.graph().nodes().stream().noneMatch(n -> n.opName().equals("mul")), "the statement after return did not run");
        assertTrue(Fixtures.elaborate("model t version 1;\ngraph main(x: f32[4]) -> f32[4] { return x; }").warnings().isEmpty());
    }
}
