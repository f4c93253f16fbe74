package dev.lathe.diag;

import java.util.ArrayList;
import java.util.List;

/** Collects diagnostics across a compilation so that one run reports several errors. */
public final class Diagnostics {
    private final List<Diagnostic> all = new ArrayList<>();

    public void report(Diagnostic d) {
        all.add(d);
    }

    public void error(ErrorCode code, SourceSpan span, String message) {
        report(Diagnostic.error(code, span, message));
    }

    public void warning(ErrorCode code, SourceSpan span, String message) {
        report(Diagnostic.warning(code, span, message));
    }

    public boolean hasErrors() {
        return all.stream().anyMatch(Diagnostic::isError);
    }

    public List<Diagnostic> all() {
        return List.copyOf(all);
    }

    public int errorCount() {
        return (int) all.stream().filter(Diagnostic::isError).count();
    }

    /** Throws a {@link DiagnosticException} with everything gathered if any error was reported. */
    public void throwIfErrors() {
        if (hasErrors()) throw new DiagnosticException(all);
    }
}
