package dev.lathe.frontend.elab;

import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.ErrorCode;
import dev.lathe.diag.SourceSpan;

/**
 * Aborts the statement being elaborated. The statement executor catches it, reports the
 * diagnostic with the enclosing instances as notes, binds the statement's targets to
 * {@link Val.Error} and goes on with the next statement, so that one run reports several errors.
 * A suppressed error carries no diagnostic: it aborts a statement that needs a value whose error
 * was already reported.
 */
final class ElabError extends RuntimeException {
    private final transient Diagnostic diagnostic;

    ElabError(Diagnostic diagnostic) {
        super(diagnostic == null ? "suppressed" : diagnostic.message(), null, false, false);
        this.diagnostic = diagnostic;
    }

    ElabError(ErrorCode code, SourceSpan span, String message) {
        this(Diagnostic.error(code, span, message));
    }

    static ElabError suppressed() {
        return new ElabError((Diagnostic) null);
    }

    /** The diagnostic to report, or null when suppressed. */
    Diagnostic diagnostic() {
        return diagnostic;
    }
}
