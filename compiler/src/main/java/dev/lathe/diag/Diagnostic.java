package dev.lathe.diag;

import java.util.List;

/**
 * One user-facing message (LANGUAGE.md §8). {@code code} is a stable identifier such as
 * {@code E0301}; see {@link ErrorCode} for the catalogue. Notes carry context such as the
 * block instance an error occurred in.
 */
public record Diagnostic(String code, Severity severity, SourceSpan span, String message, List<Note> notes) {
    public Diagnostic {
        notes = List.copyOf(notes);
    }

    public static Diagnostic error(ErrorCode code, SourceSpan span, String message) {
        return new Diagnostic(code.code(), Severity.ERROR, span, message, List.of());
    }

    public static Diagnostic warning(ErrorCode code, SourceSpan span, String message) {
        return new Diagnostic(code.code(), Severity.WARNING, span, message, List.of());
    }

    public Diagnostic withNote(String text, SourceSpan at) {
        var all = new java.util.ArrayList<>(notes);
        all.add(new Note(text, at));
        return new Diagnostic(code, severity, span, message, all);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** A secondary message; {@code span} may be null when it points nowhere. */
    public record Note(String text, SourceSpan span) {}
}
