package dev.lathe.frontend.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.DiagnosticException;
import dev.lathe.frontend.parse.ExpectedErrors.Expected;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each file in {@code parse/errors/} is a broken snippet whose {@code // ERROR[E0xxx]} markers
 * stand above the lines that must be reported; the parser must report exactly those (code, line)
 * pairs, no fewer and no echoes.
 */
class SyntaxErrorsTest {

    static Stream<Path> snippets() {
        return TestFiles.modelsUnder(TestFiles.resource("parse/errors")).stream();
    }

    @Test
    void thereAreEnoughSnippets() {
        assertTrue(snippets().count() >= 15, "at least 15 malformed snippets");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snippets")
    void reportsExactlyTheMarkedErrors(Path snippet) {
        String text = TestFiles.read(snippet);
        List<Expected> expected = ExpectedErrors.read(text).stream().sorted().toList();
        assertFalse(expected.isEmpty(), "snippet without ERROR marker");
        DiagnosticException e = assertThrows(DiagnosticException.class,
                () -> ModelParser.parse(snippet.getFileName().toString(), text));
        List<Expected> actual = e.diagnostics().stream()
                .map(d -> new Expected(d.code(), d.span().line())).sorted().toList();
        assertEquals(expected, actual, () -> messages(e.diagnostics()));
        for (Diagnostic d : e.diagnostics()) {
            assertEquals(snippet.getFileName().toString(), d.span().file());
            assertTrue(d.span().column() >= 1, "column of " + d);
            assertFalse(d.message().matches(".*(<missing|extraneous|mismatched|viable|<EOF>).*"),
                    "message should be plain words: " + d.message());
        }
    }

    @Test
    void missingSemicolonSaysWhatIsExpectedWhereItIsExpected() {
        String text = """
                model m version 1;
                graph main(x: f32[4]) -> f32[4] {
                  y = relu(x)
                  return y;
                }
                """;
        Diagnostic d = single(text);
        assertEquals("E0101", d.code());
        assertEquals("expected ';' at the end of the statement", d.message());
        // Just after `relu(x)`: line 3, column 14.
        assertEquals(3, d.span().line());
        assertEquals(14, d.span().column());
    }

    @Test
    void badCharacterSpanCoversExactlyIt() {
        Diagnostic d = single("model m version 1;\nconst A = 1 $ 2;\n");
        assertEquals("E0102", d.code());
        assertEquals(2, d.span().line());
        assertEquals(13, d.span().column());
        assertEquals(1, d.span().length());
        assertEquals("invalid character '$'", d.message());
    }

    @Test
    void badNumberSpanCoversTheWholeLiteral() {
        Diagnostic d = single("model m version 1;\nconst A = 1.5e+;\n");
        assertEquals("E0104", d.code());
        assertEquals(11, d.span().column());
        assertEquals(5, d.span().length());
    }

    @Test
    void badEscapePointsAtTheBackslash() {
        Diagnostic d = single("model m version 1;\nconst A = \"ok \\\\ \\n\";\n");
        assertEquals("E0106", d.code());
        // const A = "ok \\ \n";  the bad `\n` starts at column 18
        assertEquals(18, d.span().column());
        assertEquals(2, d.span().length());
    }

    @Test
    void invisibleAndQuoteCharactersAreNamedReadably() {
        assertEquals("invalid character U+00A0", single("model m version 1;\nconst A = 1\u00a0+ 2;\n").message());
        assertEquals("invalid character \"'\" (strings use double quotes)", single("model m version 1;\nconst A = 'x;\n").message());
        assertEquals("invalid character '&' (did you mean '&&'?)", single("model m version 1;\nconst A = a & b;\n").message());
    }

    @Test
    void passStatementWithoutOnSaysSo() {
        DiagnosticException e = assertThrows(DiagnosticException.class,
                () -> ModelParser.parsePassStatement("lowrank(rank = 8)", "--pass"));
        assertEquals("expected 'on', found end of file", e.diagnostics().getFirst().message());
        assertEquals(18, e.diagnostics().getFirst().span().column());
    }

    @Test
    void emptyFileLacksItsHeader() {
        Diagnostic d = single("");
        assertEquals("E0105", d.code());
        assertEquals(1, d.span().line());
    }

    @Test
    void errorsComeInSourceOrder() {
        DiagnosticException e = assertThrows(DiagnosticException.class, () -> ModelParser.parse("f.model", """
                model m version 1;
                const A = 1 $ 2;
                const B = 3 # 4;
                const C = 5 ~ 6;
                """));
        assertEquals(List.of(2, 3, 4), e.diagnostics().stream().map(d -> d.span().line()).toList());
    }

    private static Diagnostic single(String text) {
        DiagnosticException e = assertThrows(DiagnosticException.class, () -> ModelParser.parse("f.model", text));
        assertEquals(1, e.diagnostics().size(), () -> messages(e.diagnostics()));
        return e.diagnostics().getFirst();
    }

    private static String messages(List<Diagnostic> diagnostics) {
        StringBuilder sb = new StringBuilder();
        for (Diagnostic d : diagnostics) {
            sb.append(d.span().location()).append(' ').append(d.code()).append(": ").append(d.message()).append('\n');
        }
        return sb.toString();
    }
}
