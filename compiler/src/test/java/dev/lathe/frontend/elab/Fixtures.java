package dev.lathe.frontend.elab;

import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.DiagnosticException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Elaboration of test models held in memory or in test resources. */
final class Fixtures {
    static final Path MEMORY_ROOT = Path.of("/mem").toAbsolutePath();

    private Fixtures() {}

    /** Elaborates {@code files} (name to source, relative to an in-memory folder), starting at the first name. */
    static ElaboratedModel elaborate(String graph, Map<String, String> files, String main) {
        Map<Path, String> byPath = new HashMap<>();
        files.forEach((name, text) -> byPath.put(MEMORY_ROOT.resolve(name).normalize(), text));
        ElaborationOptions options = ElaborationOptions.defaults().withRoot(MEMORY_ROOT).withSourceReader(byPath::get);
        return Elaborator.elaborate(MEMORY_ROOT.resolve(main), graph, options);
    }

    static ElaboratedModel elaborate(String source) {
        return elaborate(null, Map.of("main.model", source), "main.model");
    }

    /** The diagnostics of a model that must fail. */
    static List<Diagnostic> errors(String source) {
        return errors(null, Map.of("main.model", source), "main.model", ElaborationOptions.defaults());
    }

    static List<Diagnostic> errors(String graph, Map<String, String> files, String main, ElaborationOptions base) {
        Map<Path, String> byPath = new HashMap<>();
        files.forEach((name, text) -> byPath.put(MEMORY_ROOT.resolve(name).normalize(), text));
        ElaborationOptions options = base.withRoot(MEMORY_ROOT).withSourceReader(byPath::get);
        try {
            Elaborator.elaborate(MEMORY_ROOT.resolve(main), graph, options);
        } catch (DiagnosticException e) {
            return e.diagnostics();
        }
        throw new AssertionError("elaboration succeeded but errors were expected");
    }

    static Path resource(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/elab/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static ElaboratedModel elaborateResource(String name) {
        return Elaborator.elaborate(resource(name), null, ElaborationOptions.defaults());
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
