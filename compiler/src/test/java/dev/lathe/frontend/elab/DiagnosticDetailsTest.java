package dev.lathe.frontend.elab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.DiagnosticRenderer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the diagnostics say and where they point: messages, notes, suggestions. */
class DiagnosticDetailsTest {
    private static final String MAIN = Fixtures.MEMORY_ROOT.resolve("main.model").toString();

    private static Diagnostic only(String source) {
        List<Diagnostic> ds = Fixtures.errors(source);
        assertEquals(1, ds.size(), () -> new DiagnosticRenderer(f -> null).renderAll(ds));
        return ds.getFirst();
    }

    @Test
    void shapeMismatchInsideABlockNamesTheInstance() {
        Diagnostic d = only("""
                model t version 1;
                dim B in 1..8;
                block Mix(x: f32[B, 128], y: f32[B, 64]) -> f32[B, 128] {
                  h = x + y;
                  return h;
                }
                graph main(x: f32[B, 128], y: f32[B, 64]) -> f32[B, 128] {
                  repeat i in 0..2 { x = Mix(x, y) named "blk.{i}"; }
                  return x;
                }
                """);
        assertEquals("E0301", d.code());
        assertEquals(4, d.span().line());
        assertEquals(7, d.span().column());
        assertTrue(d.message().contains("f32[B, 128]") && d.message().contains("f32[B, 64]"), d.message());
        assertEquals(List.of(new Diagnostic.Note("in block Mix, instance blk.0", d.notes().getFirst().span())), d.notes());
        assertEquals(MAIN + ":8:26", d.notes().getFirst().span().location());
    }

    @Test
    void nestedInstancesGiveOneNoteEachInnermostFirst() {
        List<Diagnostic> ds = Fixtures.errors("""
                model t version 1;
                block Inner(x: f32[4]) -> f32[4] {
                  return x + undefined_thing;
                }
                block Outer(x: f32[4]) -> f32[4] {
                  return Inner(x) named "in";
                }
                graph main(x: f32[4]) -> f32[4] { return Outer(x) named "out"; }
                """);
        assertEquals(1, ds.size());
        Diagnostic d = ds.getFirst();
        assertEquals("E0201", d.code());
        assertEquals(List.of("in block Inner, instance out.in", "in block Outer, instance out"),
                d.notes().stream().map(Diagnostic.Note::text).toList());
        assertEquals(6, d.notes().get(0).span().line());
        assertEquals(8, d.notes().get(1).span().line());
    }

    @Test
    void assertionMessageIsInterpolated() {
        Diagnostic d = only("""
                model t version 1;
                const D = 256, H = 3;
                block Heads(x: f32[D]) -> f32[D] {
                  assert D % H == 0 : "D={D} must be divisible by H={H}, ratio {R}";
                  return x;
                }
                const R = 0.5;
                graph main(x: f32[D]) -> f32[D] { return Heads(x) named "heads"; }
                """);
        assertEquals("E0310", d.code());
        assertEquals("assertion failed: D=256 must be divisible by H=3, ratio 0.5", d.message());
        assertEquals("in block Heads, instance heads", d.notes().getFirst().text());
    }

    @Test
    void assertInTheStandardLibraryReportsTheCallThroughItsNote() {
        List<Diagnostic> ds = Fixtures.errors("""
                model t version 1;
                import std.nn.*;
                graph main(x: f32[2, 4]) -> f32[2, 4] {
                  return Mlp(x, hidden = 8, act = "swish") named "mlp";
                }
                """);
        assertEquals(1, ds.size());
        Diagnostic d = ds.getFirst();
        assertEquals("E0310", d.code());
        assertEquals("std/nn.model", d.span().file());
        assertEquals("assertion failed: unknown activation \"swish\"", d.message());
        assertEquals(List.of("in block Activation, instance mlp.act", "in block Mlp, instance mlp"),
                d.notes().stream().map(Diagnostic.Note::text).toList());
    }

    @Test
    void unknownCalleeSuggestsTheClosestNames() {
        Diagnostic d = only("model t version 1;\nimport std.nn.*;\ngraph main(x: f32[2, 4]) -> f32[2, 4] { return Linaer(x, out = 4); }");
        assertEquals("E0206", d.code());
        // Linaer -> Linear is two substitutions (4 half-steps); linear costs one more for the case.
        assertEquals("unknown block or op Linaer; did you mean Linear?", d.message());
    }

    @Test
    void unknownNamedArgumentListsTheValidOnes() {
        Diagnostic d = only("model t version 1;\nimport std.nn.*;\ngraph main(x: f32[2, 4]) -> f32[2, 4] { return Linear(x, outs = 4); }");
        assertEquals("E0207", d.code());
        assertEquals("Linear has no argument outs; its arguments are x, out, bias; did you mean out?", d.message());
    }

    @Test
    void missingArgumentShowsTheSignature() {
        Diagnostic d = only("model t version 1;\nimport std.nn.*;\ngraph main(x: f32[2, 4]) -> f32[2, 4] { return Linear(x); }");
        assertEquals("missing argument out: int in call of Linear (Linear(x: f32[..., I], out: int, bias: bool = true))", d.message());
    }

    @Test
    void argumentGivenTwiceAndPositionalAfterNamed() {
        assertEquals("argument x of relu is given twice",
                only("model t version 1;\ngraph main(x: f32[2]) -> f32[2] { return relu(x, x = x); }").message());
        assertEquals("E0207", only("model t version 1;\ngraph main(x: f32[2]) -> f32[2] { return gelu(mode = \"tanh\", x); }").code());
    }

    @Test
    void unificationMismatchShowsBothTypes() {
        Diagnostic d = only("""
                model t version 1;
                const D = 256;
                dim B;
                block Enc(x: f32[B, D]) -> f32[B, D] { return x; }
                graph main(x: f32[B, 128]) -> f32[B, 128] { return Enc(x) named "e"; }
                """);
        assertEquals("E0301", d.code());
        assertEquals("argument x of Enc is f32[B, 128], which does not match the signature's f32[B, D]: dim 1 is 128, expected D = 256",
                d.message());
    }

    @Test
    void unsolvablePatternIsE0304() {
        Diagnostic d = only("""
                model t version 1;
                block Halves(x: f32[2 * I]) -> f32[I] { return x; }
                graph main(x: f32[7]) -> f32[3] { return Halves(x) named "h"; }
                """);
        assertEquals("E0304", d.code());
        assertEquals("argument x of Halves is f32[7], which does not match the signature's f32[2 * I]: no size I gives 2 * I = 7 (dim 0)",
                d.message());
    }

    @Test
    void resultMismatchNamesTheBlock() {
        Diagnostic d = only("""
                model t version 1;
                block Widen(x: f32[4], out: int) -> f32[out] { return relu(x); }
                graph main(x: f32[4]) -> f32[8] { return Widen(x, out = 8) named "w"; }
                """);
        assertEquals("E0301", d.code());
        assertEquals("result 0 of Widen is f32[4], which does not match the declared f32[out]: dim 0 is 4, expected out = 8", d.message());
        assertEquals(2, d.span().line());
    }

    @Test
    void duplicateBlockInstancePointsAtTheFirst() {
        Diagnostic d = only("""
                model t version 1;
                import std.nn.*;
                graph main(x: f32[4]) -> f32[4] {
                  x = Linear(x, out = 4);
                  x = Linear(x, out = 4);
                  return x;
                }
                """);
        assertEquals("E0204", d.code());
        assertEquals(5, d.span().line());
        assertEquals(4, d.notes().getFirst().span().line());
    }

    @Test
    void explicitNameCollisionOfOpsIsAnError() {
        Diagnostic d = only("model t version 1;\ngraph main(x: f32[4]) -> f32[4] {\n  a = relu(x) named \"act\";\n"
                + "  return tanh(a) named \"act\";\n}");
        assertEquals("E0204", d.code());
        assertEquals(4, d.span().line());
    }

    @Test
    void importCycleNamesEveryModule() {
        List<Diagnostic> ds = Fixtures.errors(null, Map.of(
                "main.model", "model m version 1;\nimport \"a.model\";\ngraph main(x: f32[2]) -> f32[2] { return x; }",
                "a.model", "model a version 1;\nimport \"b.model\";",
                "b.model", "model b version 1;\nimport \"main.model\" as m;"), "main.model", ElaborationOptions.defaults());
        assertEquals(1, ds.size());
        String root = Fixtures.MEMORY_ROOT.toString();
        assertEquals("import cycle: " + root + "/main.model -> " + root + "/a.model -> " + root + "/b.model -> " + root + "/main.model",
                ds.getFirst().message());
        assertEquals(root + "/b.model", ds.getFirst().span().file());
    }

    @Test
    void importsAndWeightsMustStayInsideTheRoot() {
        List<Diagnostic> ds = Fixtures.errors(null, Map.of("sub/main.model", """
                model m version 1;
                import "../../etc/x.model";
                graph main(x: f32[2]) -> f32[2] { return x; }
                """), "sub/main.model", ElaborationOptions.defaults());
        assertEquals("E0704", ds.getFirst().code());
        assertEquals(2, ds.getFirst().span().line());
    }

    @Test
    void unknownGraphListsTheGraphs() {
        List<Diagnostic> ds = Fixtures.errors("decoder", Map.of("main.model",
                "model m version 1;\ngraph enc(x: f32[2]) -> f32[2] { return x; }\ngraph main(x: f32[2]) -> f32[2] { return x; }"),
                "main.model", ElaborationOptions.defaults());
        assertEquals("E0208", ds.getFirst().code());
        assertEquals("no graph decoder in " + MAIN + "; its graphs are enc, main", ds.getFirst().message());
    }

    @Test
    void recursionStopsAtTheDepthLimitWithFewNotes() {
        List<Diagnostic> ds = Fixtures.errors(null, Map.of("main.model", """
                model m version 1;
                block R(x: f32[2]) -> f32[2] { return R(x) named "r"; }
                graph main(x: f32[2]) -> f32[2] { return R(x) named "r"; }
                """), "main.model", ElaborationOptions.defaults().withLimits(new ElaborationOptions.Limits(5, 1000, 1000)));
        assertEquals(1, ds.size());
        Diagnostic d = ds.getFirst();
        assertEquals("E0702", d.code());
        assertTrue(d.message().contains("instance r.r.r.r.r.r"), d.message());
        assertEquals(5, d.notes().size());
        assertEquals("in block R, instance r.r.r.r.r", d.notes().getFirst().text());
    }

    @Test
    void defaultDepthLimitCapsNotes() {
        List<Diagnostic> ds = Fixtures.errors("""
                model m version 1;
                block R(x: f32[2]) -> f32[2] { return R(x) named "r"; }
                graph main(x: f32[2]) -> f32[2] { return R(x) named "r"; }
                """);
        Diagnostic d = ds.getFirst();
        assertEquals(ElabContext.MAX_INSTANCE_NOTES + 1, d.notes().size());
        assertEquals("... and 192 more enclosing instances", d.notes().getLast().text());
    }

    @Test
    void nodeLimitIsE0706() {
        List<Diagnostic> ds = Fixtures.errors(null, Map.of("main.model", """
                model m version 1;
                graph main(x: f32[2]) -> f32[2] { repeat i in 0..10 { x = relu(x); } return x; }
                """), "main.model", ElaborationOptions.defaults().withLimits(new ElaborationOptions.Limits(10, 5, 1000)));
        assertEquals(List.of("E0706"), ds.stream().map(Diagnostic::code).toList());
    }

    @Test
    void repeatIterationsCountAcrossStatements() {
        List<Diagnostic> ds = Fixtures.errors(null, Map.of("main.model", """
                model m version 1;
                graph main(x: f32[2]) -> f32[2] {
                  repeat i in 0..6 { x = relu(x); }
                  repeat j in 0..6 { x = relu(x); }
                  return x;
                }
                """), "main.model", ElaborationOptions.defaults().withLimits(new ElaborationOptions.Limits(10, 1000, 10)));
        assertEquals(1, ds.size());
        assertEquals(4, ds.getFirst().span().line());
    }

    @Test
    void errorMarkersSilenceFollowOnErrors() {
        List<Diagnostic> ds = Fixtures.errors("""
                model m version 1;
                import std.nn.*;
                const BAD = "x" * 2;
                graph main(x: f32[4]) -> f32[4] {
                  h = Linear(x, out = BAD) named "fc";
                  h = relu(h) + h;
                  repeat i in 0..BAD { h = relu(h); }
                  return h;
                }
                """);
        assertEquals(List.of("E0308"), ds.stream().map(Diagnostic::code).toList());
        assertEquals(3, ds.getFirst().span().line());
    }

    @Test
    void absentParamCannotFeedARequiredInput() {
        Diagnostic d = only("""
                model t version 1;
                block Shift(x: f32[4]) -> f32[4] {
                  param b: f32[4] if false;
                  return relu(b);
                }
                graph main(x: f32[4]) -> f32[4] { return Shift(x) named "s"; }
                """);
        assertEquals("E0207", d.code());
        assertTrue(d.message().startsWith("b is absent"), d.message());
    }

    @Test
    void symbolicParamShapeIsE0306() {
        Diagnostic d = only("model t version 1;\ndim B;\ngraph main(x: f32[B, 4]) -> f32[B, 4] {\n  param s: f32[2 * B, 4];\n  return x;\n}");
        assertEquals("E0306", d.code());
        assertEquals("param s has shape f32[2 * B, 4], but dim 2 * B depends on the named dim B; "
                + "param shapes must be known at compile time", d.message());
    }

    @Test
    void aBlockUsedAsAValueIsARoleError() {
        Diagnostic d = only("model t version 1;\nimport std.nn.*;\ngraph main(x: f32[2]) -> f32[2] { y = Linear; return x; }");
        assertEquals("E0209", d.code());
    }

    @Test
    void twoImportsDefiningOneNameAreAmbiguous() {
        List<Diagnostic> ds = Fixtures.errors(null, Map.of(
                "main.model", "model m version 1;\nimport \"a.model\";\nimport \"b.model\";\n"
                        + "graph main(x: f32[2]) -> f32[2] { return Same(x); }",
                "a.model", "model a version 1;\nblock Same(x: f32[2]) -> f32[2] { return x; }",
                "b.model", "model b version 1;\nblock Same(x: f32[2]) -> f32[2] { return relu(x); }"), "main.model",
                ElaborationOptions.defaults());
        assertEquals(List.of("E0202"), ds.stream().map(Diagnostic::code).toList());
        assertEquals(4, ds.getFirst().span().line());
    }

    @Test
    void unknownStandardModule() {
        Diagnostic d = only("model t version 1;\nimport std.nnn.*;\ngraph main(x: f32[2]) -> f32[2] { return x; }");
        assertEquals("E0205", d.code());
        assertEquals("no standard module std.nnn; did you mean std.nn?", d.message());
    }

    @Test
    void blockReturningTooManyValues() {
        Diagnostic d = only("model t version 1;\nblock Two(x: f32[2]) -> f32[2] { return x, x; }\n"
                + "graph main(x: f32[2]) -> f32[2] { return Two(x) named \"two\"; }");
        assertEquals("E0309", d.code());
        assertEquals("block Two returns 2 values but declares 1 result", d.message());
    }

    @Test
    void graphAttributeNeedsADefault() {
        Diagnostic d = only("model t version 1;\ngraph main(x: f32[2], n: int) -> f32[2] { return x; }");
        assertEquals("E0207", d.code());
    }
}
