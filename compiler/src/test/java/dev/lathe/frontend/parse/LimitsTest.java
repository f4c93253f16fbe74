package dev.lathe.frontend.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.DiagnosticException;
import dev.lathe.frontend.ast.Decl;
import dev.lathe.frontend.ast.Expr;
import dev.lathe.frontend.ast.ModelFile;
import dev.lathe.frontend.ast.Stmt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** DESIGN.md §8: oversized and overly nested input gets E0701/E0702, never a crash. */
class LimitsTest {
    private static final String HEAD = "model deep version 1;\n\ngraph main(x: f32[4]) -> f32[4] {\n";

    @Test
    void nestingOf300ParenthesesIsRejectedAtTheDeepLine() {
        String text = HEAD + "  y = 1;\n  z = " + "(".repeat(300) + "x" + ")".repeat(300) + ";\n  return z;\n}\n";
        Diagnostic d = single(text, ParseLimits.DEFAULT);
        assertEquals("E0702", d.code());
        assertEquals(5, d.span().line());
    }

    @Test
    void hundredThousandLevelsGiveADiagnosticNotAStackOverflow() {
        int n = 100_000;
        assertEquals("E0702", single(HEAD + "  z = " + "[".repeat(n) + "x" + "]".repeat(n) + ";\n}\n", ParseLimits.DEFAULT).code());
        assertEquals("E0702", single(HEAD + "  z = " + "-".repeat(n) + "x;\n}\n", ParseLimits.DEFAULT).code());
        assertEquals("E0702", single(HEAD + "  z = x" + " + x".repeat(n) + ";\n}\n", ParseLimits.DEFAULT).code());
        assertEquals("E0702", single(HEAD + "{".repeat(n) + "\n", ParseLimits.DEFAULT).code());
        StringBuilder chain = new StringBuilder(HEAD + "  if a { x = x; }");
        for (int i = 0; i < n / 10; i++) chain.append(" else if a { x = x; }");
        assertEquals("E0702", single(chain + "\n  return x;\n}\n", ParseLimits.DEFAULT).code());
    }

    @Test
    void depthExactlyAtTheLimitIsAccepted() {
        ParseLimits limits = new ParseLimits(1 << 20, 10);
        // The graph body is one level, so nine parentheses reach ten.
        ModelFile ok = ModelParser.parse("f.model", HEAD + "  return " + "(".repeat(9) + "x" + ")".repeat(9) + ";\n}\n", limits);
        Stmt.Return r = (Stmt.Return) ((Decl.Block) ok.decls().getFirst()).body().getFirst();
        assertEquals(new Expr.Name(r.values().getFirst().span(), "x"), r.values().getFirst());
        assertEquals("E0702", single(HEAD + "  return " + "(".repeat(10) + "x" + ")".repeat(10) + ";\n}\n", limits).code());
    }

    @Test
    void operatorChainsCountAsNesting() {
        ParseLimits limits = new ParseLimits(1 << 20, 10);
        // Body (1) + 9 operators = 10: accepted; one more operator is not.
        ModelParser.parse("f.model", HEAD + "  return x" + " + x".repeat(9) + ";\n}\n", limits);
        assertEquals("E0702", single(HEAD + "  return x" + " + x".repeat(10) + ";\n}\n", limits).code());
        // A statement boundary starts a new chain.
        ModelParser.parse("f.model", HEAD + "  y = x" + " + x".repeat(9) + ";\n  return y" + " * y".repeat(9) + ";\n}\n", limits);
    }

    @Test
    void deepestAcceptedInputParsesAndFormatsOnASmallStack() throws InterruptedException {
        // 199 levels of mixed brackets and operators under the default limit of 200, on a 512 KiB thread stack.
        String expr = "x";
        for (int i = 0; i < 99; i++) expr = "f(-" + expr + ")";
        String text = HEAD + "  return " + expr + ";\n}\n";
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<String> formatted = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                formatted.set(ModelFormatter.format(ModelParser.parse("f.model", text)));
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "small-stack", 512 * 1024);
        t.start();
        t.join();
        if (failure.get() != null) throw new AssertionError(failure.get());
        assertEquals(text, formatted.get());
    }

    @Test
    void oversizedSourceIsRejectedBeforeLexing() {
        String line = "// " + "x".repeat(97) + "\n";
        String text = "model big version 1;\n" + line.repeat((1 << 20) / line.length() + 1);
        Diagnostic d = single(text, ParseLimits.DEFAULT);
        assertEquals("E0701", d.code());
        assertEquals(1, d.span().line());
    }

    @Test
    void sizeLimitCountsUtf8Bytes() {
        // 10 characters, 30 bytes in UTF-8.
        String text = "model m version 1;\n// " + "\u20ac".repeat(10) + "\n";
        int bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        ModelParser.parse("f.model", text, new ParseLimits(bytes, 200));
        assertEquals("E0701", single(text, new ParseLimits(bytes - 1, 200)).code());
    }

    private static Diagnostic single(String text, ParseLimits limits) {
        DiagnosticException e = assertThrows(DiagnosticException.class, () -> ModelParser.parse("f.model", text, limits));
        assertEquals(1, e.diagnostics().size(), e.diagnostics()::toString);
        return e.diagnostics().getFirst();
    }
}
