package dev.lathe.frontend.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.lathe.diag.SourceSpan;
import dev.lathe.frontend.ast.Arg;
import dev.lathe.frontend.ast.Decl;
import dev.lathe.frontend.ast.Expr;
import dev.lathe.frontend.ast.ModelFile;
import dev.lathe.grammar.LatheLexer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import org.junit.jupiter.api.Test;

/** Properties of the formatter over generated input: it preserves structure and comments, and is idempotent. */
class FormatterPropertiesTest {
    private static final SourceSpan U = SourceSpan.UNKNOWN;
    private static final String[] NAMES = {"a", "b", "x_1", "D", "nn.D", "dim", "on", "version"};
    private static final String[] FLOATS = {"0.5", "1e-5", "1.5e3", "2E+10", "3.25"};
    private static final String[] STRINGS = {"", "blk.{i}", "say \"hi\"", "back\\slash", "**.weight"};

    @Test
    void printedExpressionsParseBackToTheSameTree() {
        qt().withExamples(400).forAll(longs().all()).checkAssert(seed -> {
            Expr tree = randomExpr(new Random(seed), 5);
            String text = ModelFormatter.formatExpression(tree);
            ModelFile m = ModelParser.parse("p.model", "model p version 1;\nconst X = " + text + ";\n");
            Expr back = ((Decl.Consts) m.decls().getFirst()).consts().getFirst().value();
            assertEquals(tree, AstStructure.withoutSpans(back), text);
        });
    }

    @Test
    void commentsInsertedAnywhereSurviveFormatting() {
        // Files rich in nesting, else branches and multi-line constructs, where comments are hardest to place.
        List<Path> sources = List.of(TestFiles.resource("parse/all_constructs.model"),
                TestFiles.resource("parse/language_example.model"), TestFiles.repositoryRoot().resolve("stdlib/src/main/resources/std/nn.model"));
        qt().withExamples(600).forAll(integers().between(0, sources.size() - 1), longs().all()).checkAssert((index, seed) -> {
            String original = TestFiles.read(sources.get(index));
            String mutated = insertComments(original, new Random(seed));
            ModelFile parsed = ModelParser.parse("m.model", mutated);
            String once = ModelFormatter.format(parsed);
            ModelFile reparsed = ModelParser.parse("m.model", once);
            assertEquals(AstStructure.withoutSpans(parsed), AstStructure.withoutSpans(reparsed), () -> mutated + "\n=====\n" + once);
            assertEquals(once, ModelFormatter.format(reparsed), () -> mutated + "\n=====\n" + once);
        });
    }

    /** Inserts one to four comments of every kind at random token boundaries. */
    private static String insertComments(String text, Random random) {
        List<Integer> offsets = new ArrayList<>();
        LatheLexer lexer = new LatheLexer(CharStreams.fromString(text));
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) offsets.add(t.getStartIndex());
        offsets.add(text.length());
        int count = 1 + random.nextInt(4);
        List<int[]> inserts = new ArrayList<>();
        for (int i = 0; i < count; i++) inserts.add(new int[] {offsets.get(random.nextInt(offsets.size())), random.nextInt(4), i});
        inserts.sort((p, q) -> Integer.compare(q[0], p[0]));
        StringBuilder sb = new StringBuilder(text);
        for (int[] insert : inserts) {
            String comment = switch (insert[1]) {
                case 0 -> " /* c" + insert[2] + " */ ";
                case 1 -> " // c" + insert[2] + "\n";
                case 2 -> "\n/// d" + insert[2] + "\n";
                default -> "\n    /* own\n line " + insert[2] + " */\n";
            };
            // The lexer counts code points; the sources are ASCII apart from comments and strings.
            sb.insert(Math.min(sb.length(), text.offsetByCodePoints(0, insert[0])), comment);
        }
        return sb.toString();
    }

    private static Expr randomExpr(Random r, int depth) {
        int kind = depth <= 0 ? r.nextInt(5) : r.nextInt(10);
        return switch (kind) {
            case 0 -> new Expr.Name(U, NAMES[r.nextInt(NAMES.length)]);
            case 1 -> {
                long v = r.nextInt(3) == 0 ? r.nextLong() & Long.MAX_VALUE : r.nextInt(1000);
                yield new Expr.IntLit(U, v, Long.toString(v));
            }
            case 2 -> {
                String f = FLOATS[r.nextInt(FLOATS.length)];
                yield new Expr.FloatLit(U, Double.parseDouble(f), f);
            }
            case 3 -> new Expr.BoolLit(U, r.nextBoolean());
            case 4 -> new Expr.StringLit(U, STRINGS[r.nextInt(STRINGS.length)]);
            case 5 -> new Expr.Unary(U, Expr.UnaryOp.values()[r.nextInt(2)], randomExpr(r, depth - 1));
            case 6, 7 -> new Expr.Binary(U, Expr.BinaryOp.values()[r.nextInt(Expr.BinaryOp.values().length)],
                    randomExpr(r, depth - 1), randomExpr(r, depth - 1));
            case 8 -> {
                List<Expr> elements = new ArrayList<>();
                for (int i = r.nextInt(3); i > 0; i--) elements.add(randomExpr(r, depth - 1));
                yield new Expr.ListLit(U, elements);
            }
            default -> {
                List<Arg> args = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    args.add(new Arg(U, r.nextBoolean() ? null : NAMES[r.nextInt(3)], randomExpr(r, depth - 1)));
                }
                Expr.StringLit instance = r.nextBoolean() ? null : new Expr.StringLit(U, STRINGS[r.nextInt(STRINGS.length)]);
                yield new Expr.Call(U, r.nextBoolean() ? "f" : "nn.Linear", args, instance);
            }
        };
    }
}
