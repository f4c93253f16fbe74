package dev.lathe.diag;

/** Renders the {@link ErrorCode} catalogue as docs/errors.md, so the docs cannot drift from the code. */
public final class ErrorDocs {
    private ErrorDocs() {}

    public static String markdown() {
        StringBuilder sb = new StringBuilder("# Error codes\n\n")
                .append("Generated from `dev.lathe.diag.ErrorCode`; codes are stable and never renumbered.\n")
                .append("Ranges: E01xx syntax, E02xx names and imports, E03xx types and shapes, E04xx weights,\n")
                .append("E05xx passes, E06xx run-time inputs, E07xx limits.\n\n")
                .append("| code | meaning |\n|---|---|\n");
        for (ErrorCode c : ErrorCode.values()) sb.append("| ").append(c.code()).append(" | ").append(c.summary()).append(" |\n");
        return sb.toString();
    }
}
