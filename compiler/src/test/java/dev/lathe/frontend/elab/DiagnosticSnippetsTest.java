package dev.lathe.frontend.elab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.DiagnosticException;
import dev.lathe.diag.DiagnosticRenderer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every model under {@code elab/invalid} must fail with exactly the errors its
 * {@code // ERROR[E0301]} comments announce, each on the line below its comment. A case is a
 * {@code .model} file, or a folder whose {@code main.model} is elaborated and whose files may all
 * carry ERROR comments. An error raised inside a standard-library block is located by its
 * outermost "in block" note, the call in the test's own files.
 */
class DiagnosticSnippetsTest {
    private static final Pattern ERROR = Pattern.compile("ERROR\\[(E\\d{4})]");

    @TestFactory
    Stream<DynamicTest> everyInvalidSnippetFailsAsAnnounced() throws IOException {
        Path dir = Fixtures.resource("invalid");
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.sorted().toList()) {
                if (Files.isDirectory(p)) tests.add(DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(p.resolve("main.model"), p)));
                else if (p.toString().endsWith(".model")) tests.add(DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(p, p)));
            }
        }
        assertFalse(tests.isEmpty());
        return tests.stream();
    }

    private static void check(Path main, Path caseRoot) throws IOException {
        Set<String> expected = new TreeSet<>();
        List<Path> files;
        try (Stream<Path> all = Files.isDirectory(caseRoot) ? Files.walk(caseRoot) : Stream.of(caseRoot)) {
            files = all.filter(f -> f.toString().endsWith(".model")).toList();
        }
        for (Path f : files) expected.addAll(announced(f));
        assertFalse(expected.isEmpty(), main + " announces no error");

        List<Diagnostic> diagnostics;
        try {
            Elaborator.elaborate(main, null, ElaborationOptions.defaults());
            throw new AssertionError(main + " elaborated without errors; expected " + expected);
        } catch (DiagnosticException e) {
            diagnostics = e.diagnostics();
        }
        Set<String> actual = new TreeSet<>();
        for (Diagnostic d : diagnostics) {
            if (d.isError()) actual.add(locate(d, files) + " " + d.code());
        }
        assertEquals(expected, actual, () -> DiagnosticRenderer.fromFiles().renderAll(diagnostics));
    }

    /** {@code file:line code} for each ERROR comment, pointing at the next line that is not one. */
    private static List<String> announced(Path file) {
        List<String> lines = Fixtures.read(file).lines().toList();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = ERROR.matcher(lines.get(i));
            if (!lines.get(i).strip().startsWith("//")) continue;
            int target = i + 1;
            while (target < lines.size() && lines.get(target).strip().startsWith("//") && ERROR.matcher(lines.get(target)).find()) target++;
            while (m.find()) out.add(key(file, target + 1) + " " + m.group(1));
        }
        return out;
    }

    private static String locate(Diagnostic d, List<Path> files) {
        if (inCase(d.span().file(), files)) return key(Path.of(d.span().file()), d.span().line());
        for (Diagnostic.Note n : d.notes().reversed()) {
            if (n.span() != null && inCase(n.span().file(), files)) return key(Path.of(n.span().file()), n.span().line());
        }
        return d.span().file() + ":" + d.span().line();
    }

    private static boolean inCase(String file, List<Path> files) {
        return files.stream().anyMatch(f -> f.toAbsolutePath().normalize().equals(Path.of(file).toAbsolutePath().normalize()));
    }

    private static String key(Path file, int line) {
        try {
            return file.toRealPath().getFileName() + ":" + line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
