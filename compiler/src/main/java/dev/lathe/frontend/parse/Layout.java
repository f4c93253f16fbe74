package dev.lathe.frontend.parse;

import dev.lathe.diag.SourceSpan;
import java.util.List;

/** The formatter's output before comments are placed: one entry per line or group of lines. */
sealed interface Layout {

    /**
     * A declaration or statement (or a header line such as {@code passes {}}) anchored at the
     * source position of its first token.
     *
     * @param lines        its lines without indentation (annotations come first)
     * @param doc          doc text printed as {@code ///} lines before it, or null
     * @param docable      whether a {@code ///} run right before it would become its doc
     * @param opensBody    whether its last line ends with '{'
     * @param elseIf       printed as {@code } else if ...}: comments before it go at the then-body's indent
     */
    record Unit(SourceSpan anchor, int indent, List<String> lines, String doc, boolean docable, boolean opensBody,
                boolean elseIf) implements Layout {}

    /**
     * The end of a body whose header is at {@code headerIndent}; {@code text} is {@code "}"},
     * {@code "} else {"} ({@code opensElse}), or null when the next unit prints the brace itself.
     */
    record Close(int headerIndent, String text, boolean opensElse) implements Layout {}

    /** An empty line between groups of top-level declarations. */
    record Blank() implements Layout {}
}
