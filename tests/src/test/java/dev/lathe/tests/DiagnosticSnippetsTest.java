package dev.lathe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lathe.api.Lathe;
import dev.lathe.api.LoadOptions;
import dev.lathe.cli.LatheCommand;
import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.DiagnosticException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed snippet in the repository fails with exactly the codes and lines its
 * {@code // ERROR[Exxxx]} markers name, through the whole front end (weights and passes included)
 * and through {@code lathe check} (status 1, the LANGUAGE.md §8 format, no stack trace); snippets
 * without markers must load. A folder holding {@code main.model} is one multi-file case whose
 * markers may stand in any of its files. An error raised inside a library block counts at the
 * outermost "in block" note that points into the case, i.e. the user's call.
 */
class DiagnosticSnippetsTest {
    static final List<String> SNIPPET_DIRS = List.of(
            "tests/src/test/resources/diagnostics",
            "compiler/src/test/resources/parse/errors",
            "compiler/src/test/resources/elab");

    record Case(Path main, List<Path> files) {
        @Override
        public String toString() {
            return RepoFiles.root().relativize(main).toString();
        }
    }

    static Stream<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (String dir : SNIPPET_DIRS) {
            List<Path> models = RepoFiles.models(dir);
            List<Path> caseFolders = models.stream().filter(m -> m.getFileName().toString().equals("main.model"))
                    .map(Path::getParent).filter(p -> !p.equals(RepoFiles.root().resolve(dir))).toList();
            for (Path folder : caseFolders) out.add(new Case(folder.resolve("main.model"), models.stream().filter(m -> m.startsWith(folder)).toList()));
            for (Path m : models) {
                if (caseFolders.stream().noneMatch(m::startsWith)) out.add(new Case(m, List.of(m)));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsTheMarkedErrors(Case c) {
        List<String> expected = expected(c);
        List<String> actual = new ArrayList<>();
        try {
            Lathe.load(c.main(), LoadOptions.defaults());
            if (!expected.isEmpty()) fail(c + " loaded; expected " + expected);
        } catch (DiagnosticException e) {
            if (expected.isEmpty()) fail("expected " + c + " to load, got:\n" + e.diagnostics());
            for (Diagnostic d : e.diagnostics()) if (d.isError()) actual.add(locate(d, c));
        }
        assertEquals(expected, actual.stream().sorted().toList(), "errors reported in " + c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void checkCommandPrintsDiagnosticsAndExitsOne(Case c) {
        List<String> expected = expected(c);
        StringWriter out = new StringWriter(), err = new StringWriter();
        int status = LatheCommand.execute(new String[] {"check", c.main().toString()}, new PrintWriter(out), new PrintWriter(err));
        if (expected.isEmpty()) {
            assertEquals(0, status, err.toString());
            return;
        }
        assertEquals(1, status, "exit status; stderr:\n" + err);
        String text = err.toString();
        assertTrue(text.lines().anyMatch(l -> l.matches(".+:\\d+:\\d+: error\\[E\\d{4}]: .+")), "file:line:col: error[Exxxx]: in:\n" + text);
        for (String e : expected) assertTrue(text.contains("error[" + e.substring(e.lastIndexOf(' ') + 1) + "]"), e + " in:\n" + text);
        assertFalse(text.contains("Exception") || text.contains("\tat "), "no Java stack trace:\n" + text);
    }

    /** {@code file:line code} for each marker, sorted. */
    private static List<String> expected(Case c) {
        List<String> out = new ArrayList<>();
        for (Path f : c.files()) {
            try {
                for (ExpectedErrors.Expected e : ExpectedErrors.read(Files.readString(f)).errors()) out.add(f.getFileName() + ":" + e.line() + " " + e.code());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out.stream().sorted().toList();
    }

    private static String locate(Diagnostic d, Case c) {
        if (inCase(d.span().file(), c)) return Path.of(d.span().file()).getFileName() + ":" + d.span().line() + " " + d.code();
        for (Diagnostic.Note n : d.notes().reversed()) {
            if (n.span() != null && inCase(n.span().file(), c)) return Path.of(n.span().file()).getFileName() + ":" + n.span().line() + " " + d.code();
        }
        return d.span().location() + " " + d.code();
    }

    private static boolean inCase(String file, Case c) {
        Path p = Path.of(file).toAbsolutePath().normalize();
        return c.files().stream().anyMatch(f -> f.toAbsolutePath().normalize().equals(p));
    }
}
