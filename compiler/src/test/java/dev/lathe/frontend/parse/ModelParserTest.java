package dev.lathe.frontend.parse;

import static dev.lathe.frontend.ast.Expr.BinaryOp.ADD;
import static dev.lathe.frontend.ast.Expr.BinaryOp.AND;
import static dev.lathe.frontend.ast.Expr.BinaryOp.DIV;
import static dev.lathe.frontend.ast.Expr.BinaryOp.EQ;
import static dev.lathe.frontend.ast.Expr.BinaryOp.GE;
import static dev.lathe.frontend.ast.Expr.BinaryOp.LT;
import static dev.lathe.frontend.ast.Expr.BinaryOp.MATMUL;
import static dev.lathe.frontend.ast.Expr.BinaryOp.MOD;
import static dev.lathe.frontend.ast.Expr.BinaryOp.MUL;
import static dev.lathe.frontend.ast.Expr.BinaryOp.NE;
import static dev.lathe.frontend.ast.Expr.BinaryOp.OR;
import static dev.lathe.frontend.ast.Expr.BinaryOp.SUB;
import static dev.lathe.frontend.parse.Ast.U;
import static dev.lathe.frontend.parse.Ast.annotation;
import static dev.lathe.frontend.parse.Ast.arg;
import static dev.lathe.frontend.parse.Ast.attribute;
import static dev.lathe.frontend.parse.Ast.bin;
import static dev.lathe.frontend.parse.Ast.bool;
import static dev.lathe.frontend.parse.Ast.call;
import static dev.lathe.frontend.parse.Ast.floating;
import static dev.lathe.frontend.parse.Ast.integer;
import static dev.lathe.frontend.parse.Ast.list;
import static dev.lathe.frontend.parse.Ast.name;
import static dev.lathe.frontend.parse.Ast.named;
import static dev.lathe.frontend.parse.Ast.neg;
import static dev.lathe.frontend.parse.Ast.not;
import static dev.lathe.frontend.parse.Ast.pos;
import static dev.lathe.frontend.parse.Ast.string;
import static dev.lathe.frontend.parse.Ast.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.diag.DiagnosticException;
import dev.lathe.diag.SourceSpan;
import dev.lathe.frontend.ast.Decl;
import dev.lathe.frontend.ast.Expr;
import dev.lathe.frontend.ast.ModelFile;
import dev.lathe.frontend.ast.Stmt;
import dev.lathe.frontend.ast.TypeRef;
import dev.lathe.frontend.ast.TypeRef.AttributeKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelParserTest {

    // ---- the LANGUAGE.md §1 example ----

    private static ModelFile example() {
        String file = "language_example.model";
        return ModelParser.parse(file, TestFiles.read(TestFiles.resource("parse/" + file)));
    }

    @Test
    void exampleHeaderAndDeclarations() {
        ModelFile m = example();
        assertEquals("tiny_encoder", m.modelName());
        assertEquals(1, m.version());
        assertEquals(new SourceSpan("language_example.model", 2, 1, 29), m.span());
        assertEquals(List.of(Decl.Import.class, Decl.Dims.class, Decl.Dims.class, Decl.Consts.class, Decl.Weights.class,
                Decl.Block.class, Decl.Block.class, Decl.Passes.class), m.decls().stream().map(Object::getClass).toList());

        assertEquals(new Decl.Import(U, "std.nn", null, null, true), AstStructure.withoutSpans(m.decls().get(0)));
        assertEquals(new Decl.Dims(U, null, List.of(new Decl.DimDef(U, "B", integer(1), integer(64)))),
                AstStructure.withoutSpans(m.decls().get(1)));
        assertEquals(new Decl.Consts(U, null, List.of(
                        new Decl.ConstDef(U, "D", integer(256)),
                        new Decl.ConstDef(U, "H", integer(4)),
                        new Decl.ConstDef(U, "F", bin(integer(4), MUL, name("D"))))),
                AstStructure.withoutSpans(m.decls().get(3)));
        assertEquals(new Decl.Weights(U, "tiny_encoder.safetensors", false,
                        List.of(new Decl.RenameRule(U, "layers.{i}.", "blk.{i}."))),
                AstStructure.withoutSpans(m.decls().get(4)));
    }

    @Test
    void exampleEncoderBlock() {
        Decl.Block encoder = (Decl.Block) example().decls().get(5);
        assertEquals("Encoder", encoder.name());
        assertEquals("Pre-LN transformer encoder block.", encoder.doc());
        assertEquals(false, encoder.graph());
        assertEquals(new SourceSpan("language_example.model", 14, 1, 48), encoder.span());
        assertEquals(List.of(new Decl.SigParam(U, "x", tensor("f32", "B", "S", "D"), null, false, false)),
                AstStructure.withoutSpans(encoder.params()));
        assertEquals(List.of(new Decl.Result(U, null, tensor("f32", "B", "S", "D"))), AstStructure.withoutSpans(encoder.results()));

        List<Stmt> body = AstStructure.withoutSpans(encoder.body());
        assertEquals(8, body.size());
        assertEquals(new Stmt.Assert(U, bin(bin(name("D"), MOD, name("H")), EQ, integer(0)),
                string("D={D} must be divisible by H={H}")), body.get(0));
        // The three assignments on one line are three statements.
        assertEquals(new Stmt.Assign(U, null, List.of(), List.of(new Stmt.Target(U, "k")),
                call("Linear", pos(name("n1")), arg("out", name("D")))), body.get(3));
        assertEquals(new Stmt.Assign(U, null,
                List.of(annotation("kernelize", arg("method", string("favor")), arg("features", integer(128)))),
                List.of(new Stmt.Target(U, "a")),
                call("attention", pos(name("q")), pos(name("k")), pos(name("v")), arg("heads", name("H")))), body.get(5));
        assertEquals(new Stmt.Assign(U, null, List.of(), List.of(new Stmt.Target(U, "h")),
                bin(name("x"), ADD, named(call("Linear", pos(name("a")), arg("out", name("D"))), "proj"))), body.get(6));
        assertEquals(new Stmt.Return(U, List.of(bin(name("h"), ADD,
                named(call("Mlp", pos(named(call("LayerNorm", pos(name("h"))), "n2")), arg("hidden", name("F"))), "mlp")))),
                body.get(7));

        // The annotation has its own span; the assignment starts at its target, on the next line.
        Stmt.Assign a = (Stmt.Assign) encoder.body().get(5);
        assertEquals(new SourceSpan("language_example.model", 18, 3, 44), a.annotations().getFirst().span());
        assertEquals(19, a.span().line());
        assertEquals(3, a.span().column());
    }

    @Test
    void exampleGraphAndPasses() {
        ModelFile m = example();
        Decl.Block main = (Decl.Block) m.decls().get(6);
        assertTrue(main.graph());
        assertEquals(List.of(
                new Stmt.Repeat(U, "i", integer(0), integer(2), List.of(new Stmt.Assign(U, null, List.of(),
                        List.of(new Stmt.Target(U, "x")), named(call("Encoder", pos(name("x"))), "blk.{i}")))),
                new Stmt.Return(U, List.of(name("x")))), AstStructure.withoutSpans(main.body()));

        Decl.Passes passes = (Decl.Passes) m.decls().get(7);
        assertEquals(List.of(
                new Decl.PassStmt(U, "lowrank", List.of(arg("energy", floating("0.95"))), List.of(string("blk.*.mlp.fc1.weight"))),
                new Decl.PassStmt(U, "quantize", List.of(arg("bits", integer(8)), arg("granularity", string("channel"))),
                        List.of(string("**.weight"))),
                new Decl.PassStmt(U, "sparsify", List.of(arg("pattern", string("2:4"))), List.of(string("blk.1.proj.weight")))),
                AstStructure.withoutSpans(passes.statements()));
    }

    @Test
    void exampleKeepsItsOrdinaryCommentsWithPositions() {
        List<ModelFile.Comment> comments = example().comments();
        assertEquals(List.of("// examples/encoder/tiny_encoder.model",
                "// Linear, LayerNorm, Mlp, ... (blocks) and all primitive ops",
                "// symbolic, bounded dims",
                "// strict by default",
                "// file key prefix -> param path prefix"), comments.stream().map(ModelFile.Comment::text).toList());
        assertEquals(new SourceSpan("language_example.model", 1, 1, 38), comments.get(0).span());
        assertEquals(new SourceSpan("language_example.model", 3, 40, 61), comments.get(1).span());
    }

    // ---- expressions ----

    private static Expr expr(String source) {
        ModelFile m = ModelParser.parse("e.model", "model e version 1;\nconst X = " + source + ";\n");
        return AstStructure.withoutSpans(((Decl.Consts) m.decls().getFirst()).consts().getFirst().value());
    }

    @Test
    void multiplicationBindsTighterThanAddition() {
        assertEquals(bin(name("a"), ADD, bin(name("b"), MUL, name("c"))), expr("a + b * c"));
        assertEquals(bin(bin(name("a"), MUL, name("b")), ADD, name("c")), expr("a * b + c"));
    }

    @Test
    void unaryMinusBindsTighterThanMatmul() {
        assertEquals(bin(neg(name("x")), MATMUL, name("w")), expr("-x @ w"));
        assertEquals(bin(bin(name("x"), MATMUL, name("w")), ADD, name("b")), expr("x @ w + b"));
        assertEquals(bin(bin(name("x"), MATMUL, name("w")), MUL, name("s")), expr("x @ w * s"));
    }

    @Test
    void parenthesesGroupAndSameLevelOperatorsAreLeftAssociative() {
        assertEquals(bin(name("a"), SUB, bin(name("b"), SUB, name("c"))), expr("a - (b - c)"));
        assertEquals(bin(bin(name("a"), SUB, name("b")), SUB, name("c")), expr("a - b - c"));
        assertEquals(bin(bin(name("a"), DIV, name("b")), MUL, name("c")), expr("a / b * c"));
    }

    @Test
    void javaPrecedenceForComparisonsAndLogic() {
        // a || (b && (c == (d < (e + f))))
        assertEquals(bin(name("a"), OR, bin(name("b"), AND, bin(name("c"), EQ, bin(name("d"), LT, bin(name("e"), ADD, name("f")))))),
                expr("a || b && c == d < e + f"));
        assertEquals(bin(not(name("a")), AND, bin(name("b"), NE, name("c"))), expr("!a && b != c"));
        assertEquals(bin(bin(name("D"), MOD, name("H")), EQ, integer(0)), expr("D % H == 0"));
        assertEquals(bin(neg(integer(1)), GE, neg(neg(name("x")))), expr("-1 >= - -x"));
    }

    @Test
    void literals() {
        assertEquals(integer(12), expr("12"));
        assertEquals(new Expr.FloatLit(U, 1e-5, "1e-5"), expr("1e-5"));
        assertEquals(new Expr.FloatLit(U, 0.5, "0.5"), expr("0.5"));
        assertEquals(new Expr.FloatLit(U, 1500.0, "1.5e3"), expr("1.5e3"));
        assertEquals(new Expr.FloatLit(U, 2e10, "2E+10"), expr("2E+10"));
        assertEquals(new Expr.IntLit(U, 7, "007"), expr("007"));
        assertEquals(new Expr.IntLit(U, Long.MAX_VALUE, "9223372036854775807"), expr("9223372036854775807"));
        assertEquals(bool(true), expr("true"));
        assertEquals(bool(false), expr("false"));
        assertEquals(string("say \"hi\" \\ {x}"), expr("\"say \\\"hi\\\" \\\\ {x}\""));
        assertEquals(list(integer(1), neg(integer(2)), list()), expr("[1, -2, []]"));
    }

    @Test
    void callsWithQualifiedNamesNamedArgumentsAndInstanceNames() {
        assertEquals(named(call("nn.Linear", pos(name("x")), arg("out", name("nn.D"))), "fc"),
                expr("nn.Linear(x, out = nn.D) named \"fc\""));
        assertEquals(bin(named(call("f"), "a"), ADD, named(call("g", pos(named(call("h"), "c"))), "b")),
                expr("f() named \"a\" + g(h() named \"c\") named \"b\""));
    }

    @Test
    void softKeywordsServeAsNames() {
        assertEquals(call("f", arg("on", name("dim")), arg("version", name("model")), arg("as", bin(name("weights"), ADD, name("lenient")))),
                expr("f(on = dim, version = model, as = weights + lenient)"));
        ModelFile m = ModelParser.parse("e.model", """
                model e version 1;
                block Embedding(idx: i64[...], vocab: int, dim: int) -> f32[..., dim] {
                  param weight: f32[vocab, dim];
                  rename = dim;
                  return embedding(idx, weight);
                }
                """);
        Decl.Block b = (Decl.Block) m.decls().getFirst();
        assertEquals("dim", b.params().get(2).name());
        assertEquals(tensor("f32", "...", "dim"), AstStructure.withoutSpans(b.results().getFirst().type()));
        assertEquals("rename", ((Stmt.Assign) b.body().get(1)).targets().getFirst().name());
    }

    @Test
    void expressionSpansStartAtTheirFirstToken() {
        ModelFile m = ModelParser.parse("s.model", "model s version 1;\nconst X = a + b * c;\n");
        Expr.Binary sum = (Expr.Binary) ((Decl.Consts) m.decls().getFirst()).consts().getFirst().value();
        assertEquals(new SourceSpan("s.model", 2, 11, 9), sum.span());
        assertEquals(new SourceSpan("s.model", 2, 15, 5), sum.right().span());
        assertEquals(new SourceSpan("s.model", 2, 19, 1), ((Expr.Binary) sum.right()).right().span());
    }

    // ---- declarations and statements ----

    @Test
    void importForms() {
        ModelFile m = ModelParser.parse("i.model", """
                model i version 1;
                import std.nn.*;
                import std.nn as nn;
                import "../blocks/mlp.model" as mlp;
                import "x.model";
                import a.b.c;
                """);
        assertEquals(List.of(
                new Decl.Import(U, "std.nn", null, null, true),
                new Decl.Import(U, "std.nn", null, "nn", false),
                new Decl.Import(U, null, "../blocks/mlp.model", "mlp", false),
                new Decl.Import(U, null, "x.model", null, false),
                new Decl.Import(U, "a.b.c", null, null, false)), AstStructure.withoutSpans(m.decls()));
    }

    @Test
    void dimsConstsAndWeightsForms() {
        ModelFile m = ModelParser.parse("d.model", """
                model d version 1;
                dim B, S in 1..2 * 256;
                const EPS = 1e-5, NAME = "x", ON = true, SIZES = [1, 2];
                weights "w.npz" lenient;
                weights "v.safetensors" lenient {
                  rename "a.{i}." -> "b.{i}.";
                  rename "c" -> "d";
                }
                """);
        assertEquals(List.of(
                new Decl.Dims(U, null, List.of(new Decl.DimDef(U, "B", null, null),
                        new Decl.DimDef(U, "S", integer(1), bin(integer(2), MUL, integer(256))))),
                new Decl.Consts(U, null, List.of(new Decl.ConstDef(U, "EPS", floating("1e-5")),
                        new Decl.ConstDef(U, "NAME", string("x")), new Decl.ConstDef(U, "ON", bool(true)),
                        new Decl.ConstDef(U, "SIZES", list(integer(1), integer(2))))),
                new Decl.Weights(U, "w.npz", true, List.of()),
                new Decl.Weights(U, "v.safetensors", true, List.of(new Decl.RenameRule(U, "a.{i}.", "b.{i}."),
                        new Decl.RenameRule(U, "c", "d")))), AstStructure.withoutSpans(m.decls()));
    }

    @Test
    void signatureForms() {
        ModelFile m = ModelParser.parse("s.model", """
                model s version 1;
                block concat(xs...: T[...], axis: int) -> T[...];
                block clip(x: T[N, C, ...], min?: float, mask?: bool[?, 4], sizes: int[] = [], w: float[], s: string = "erf", b: bool = false) -> T[N, ?];
                graph two(x: f32[B, 2 * S], n: f32[]) -> (y: f32[B, S / 2], h: f32[B, H + 1]) {
                  y, h = split(x, parts = 2, axis = -1);
                  return y, h;
                }
                """);
        Decl.Block concat = (Decl.Block) m.decls().get(0);
        assertTrue(concat.isPrimitive());
        assertEquals(List.of(new Decl.SigParam(U, "xs", tensor("T", "..."), null, false, true),
                new Decl.SigParam(U, "axis", attribute(AttributeKind.INT, false), null, false, false)),
                AstStructure.withoutSpans(concat.params()));
        Decl.Block clip = (Decl.Block) m.decls().get(1);
        assertEquals(List.of(
                new Decl.SigParam(U, "x", tensor("T", "N", "C", "..."), null, false, false),
                new Decl.SigParam(U, "min", attribute(AttributeKind.FLOAT, false), null, true, false),
                new Decl.SigParam(U, "mask", tensor("bool", "?", "4"), null, true, false),
                new Decl.SigParam(U, "sizes", attribute(AttributeKind.INT, true), list(), false, false),
                new Decl.SigParam(U, "w", attribute(AttributeKind.FLOAT, true), null, false, false),
                new Decl.SigParam(U, "s", attribute(AttributeKind.STRING, false), string("erf"), false, false),
                new Decl.SigParam(U, "b", attribute(AttributeKind.BOOL, false), bool(false), false, false)),
                AstStructure.withoutSpans(clip.params()));
        assertEquals(List.of(new Decl.Result(U, null, tensor("T", "N", "?"))), AstStructure.withoutSpans(clip.results()));
        Decl.Block two = (Decl.Block) m.decls().get(2);
        assertEquals(List.of(
                new Decl.SigParam(U, "x", new TypeRef.Tensor(U, "f32", List.of(name("B"), bin(integer(2), MUL, name("S")))),
                        null, false, false),
                new Decl.SigParam(U, "n", tensor("f32"), null, false, false)), AstStructure.withoutSpans(two.params()));
        assertEquals(List.of(
                new Decl.Result(U, "y", new TypeRef.Tensor(U, "f32", List.of(name("B"), bin(name("S"), DIV, integer(2))))),
                new Decl.Result(U, "h", new TypeRef.Tensor(U, "f32", List.of(name("B"), bin(name("H"), ADD, integer(1)))))),
                AstStructure.withoutSpans(two.results()));
        assertEquals(List.of(
                new Stmt.Assign(U, null, List.of(), List.of(new Stmt.Target(U, "y"), new Stmt.Target(U, "h")),
                        call("split", pos(name("x")), arg("parts", integer(2)), arg("axis", neg(integer(1))))),
                new Stmt.Return(U, List.of(name("y"), name("h")))), AstStructure.withoutSpans(two.body()));
    }

    @Test
    void paramsConditionsAndControlFlow() {
        ModelFile m = ModelParser.parse("c.model", """
                model c version 1;
                block B(x: f32[4], bias: bool, act: string) -> f32[4] {
                  @lowrank(rank = 8) @quantize(bits = 4)
                  param w: f32[4, 4] if bias && act != "none";
                  if act == "relu" { x = relu(x); } else if act == "gelu" { x = gelu(x); } else { assert false; }
                  if bias { }
                  return x;
                }
                """);
        List<Stmt> body = AstStructure.withoutSpans(((Decl.Block) m.decls().getFirst()).body());
        assertEquals(new Stmt.Param(U, null, List.of(annotation("lowrank", arg("rank", integer(8))), annotation("quantize", arg("bits", integer(4)))),
                "w", tensor("f32", "4", "4"), bin(name("bias"), AND, bin(name("act"), NE, string("none")))), body.get(0));
        Stmt assign = new Stmt.Assign(U, null, List.of(), List.of(new Stmt.Target(U, "x")), call("relu", pos(name("x"))));
        Stmt assignGelu = new Stmt.Assign(U, null, List.of(), List.of(new Stmt.Target(U, "x")), call("gelu", pos(name("x"))));
        assertEquals(new Stmt.If(U, bin(name("act"), EQ, string("relu")), List.of(assign),
                List.of(new Stmt.If(U, bin(name("act"), EQ, string("gelu")), List.of(assignGelu),
                        List.of(new Stmt.Assert(U, bool(false), null))))), body.get(1));
        assertEquals(new Stmt.If(U, name("bias"), List.of(), List.of()), body.get(2));
    }

    @Test
    void docCommentsAttachToTheNextDocumentableNode() {
        ModelFile m = ModelParser.parse("doc.model", """
                model doc version 1;
                /// Batch.
                dim B;
                ///Two
                ///   lines
                ///
                /// and a gap line.
                const C = 1;
                //// four slashes: an ordinary comment
                /// Blank line below, so not a doc.

                block A(x: f32[B]) -> f32[B] {
                  /// The weight.
                  param w: f32[B];
                  /// The sum.
                  y = x + w; /// trailing: ordinary
                  /// Before return: ordinary.
                  return y;
                }
                """);
        assertEquals("Batch.", ((Decl.Dims) m.decls().get(0)).doc());
        assertEquals("Two\n  lines\n\nand a gap line.", ((Decl.Consts) m.decls().get(1)).doc());
        Decl.Block a = (Decl.Block) m.decls().get(2);
        assertNull(a.doc());
        assertEquals("The weight.", ((Stmt.Param) a.body().get(0)).doc());
        assertEquals("The sum.", ((Stmt.Assign) a.body().get(1)).doc());
        assertEquals(List.of("//// four slashes: an ordinary comment", "/// Blank line below, so not a doc.",
                "/// trailing: ordinary", "/// Before return: ordinary."), m.comments().stream().map(ModelFile.Comment::text).toList());
    }

    @Test
    void blockCommentsKeepTheirExactText() {
        ModelFile m = ModelParser.parse("b.model", "model b version 1; /* one\n * two */\nconst /*in*/ A = 1; // end\n");
        assertEquals(List.of("/* one\n * two */", "/*in*/", "// end"), m.comments().stream().map(ModelFile.Comment::text).toList());
        assertEquals(new SourceSpan("b.model", 1, 20, 6), m.comments().getFirst().span());
    }

    // ---- pass statements from the command line ----

    @Test
    void passStatementFromTheCommandLine() {
        Decl.PassStmt p = ModelParser.parsePassStatement("lowrank(rank = 8) on \"fc1.weight\"", "--pass");
        assertEquals(new Decl.PassStmt(U, "lowrank", List.of(arg("rank", integer(8))), List.of(string("fc1.weight"))),
                AstStructure.withoutSpans(p));
        assertEquals(new SourceSpan("--pass", 1, 1, 33), p.span());
        Decl.PassStmt two = ModelParser.parsePassStatement("quantize(bits = 4, group = 64) on \"a.*\", \"**.weight\";", "--pass");
        assertEquals(List.of(string("a.*"), string("**.weight")), AstStructure.withoutSpans(two.selectors()));
    }

    @Test
    void badPassStatementReportsInTermsOfItsOrigin() {
        DiagnosticException e = assertThrows(DiagnosticException.class,
                () -> ModelParser.parsePassStatement("lowrank(rank = 8) \"fc1.weight\"", "--pass"));
        assertEquals(1, e.diagnostics().size());
        assertEquals("E0101", e.diagnostics().getFirst().code());
        assertEquals("--pass", e.diagnostics().getFirst().span().file());
        assertThrows(DiagnosticException.class, () -> ModelParser.parsePassStatement("lowrank(rank = 8) on \"a\"; extra", "--pass"));
        assertThrows(DiagnosticException.class, () -> ModelParser.parsePassStatement("", "--pass"));
    }

    @Test
    void standardLibraryParses() {
        for (String name : List.of("std/ops.model", "std/nn.model")) {
            var in = ModelParserTest.class.getClassLoader().getResourceAsStream(name);
            assertInstanceOf(java.io.InputStream.class, in, "classpath resource " + name);
            String text;
            try (in) {
                text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
            ModelFile m = ModelParser.parse(name, text);
            assertTrue(m.decls().stream().anyMatch(d -> d instanceof Decl.Block), name);
        }
    }
}
