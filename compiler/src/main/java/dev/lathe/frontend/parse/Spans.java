package dev.lathe.frontend.parse;

import dev.lathe.diag.SourceSpan;
import java.util.Arrays;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/**
 * Makes {@link SourceSpan}s from tokens and parse-tree nodes. A construct that continues on later
 * lines is cut at the end of its first line, because a span is one line long.
 */
final class Spans {
    private final String file;
    /** Index (in code points, as ANTLR counts) of the line break ending each line; the last is the text length. */
    private final int[] lineEnds;

    Spans(String file, String text) {
        this.file = file;
        int[] ends = new int[16];
        int lines = 0;
        int index = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp == '\n') {
                if (lines == ends.length) ends = Arrays.copyOf(ends, lines * 2);
                // A CR before the LF is not part of the line either.
                ends[lines++] = index > 0 && i > 0 && text.charAt(i - 1) == '\r' ? index - 1 : index;
            }
            i += Character.charCount(cp);
            index++;
        }
        if (lines == ends.length) ends = Arrays.copyOf(ends, lines + 1);
        ends[lines++] = index;
        this.lineEnds = Arrays.copyOf(ends, lines);
    }

    String file() {
        return file;
    }

    SourceSpan of(Token t) {
        return range(t, t);
    }

    SourceSpan of(ParserRuleContext ctx) {
        Token stop = ctx.getStop();
        if (stop == null || stop.getStopIndex() < ctx.getStart().getStartIndex()) stop = ctx.getStart();
        return range(ctx.getStart(), stop);
    }

    /** From the start of {@code first} to the end of {@code last}, cut at the end of the first line. */
    SourceSpan range(Token first, Token last) {
        int line = first.getLine();
        int start = first.getStartIndex();
        int end = Math.max(start, last.getStopIndex());
        if (line >= 1 && line <= lineEnds.length) end = Math.min(end, lineEnds[line - 1] - 1);
        return new SourceSpan(file, line, first.getCharPositionInLine() + 1, Math.max(1, end - start + 1));
    }

    /** The position just after {@code t}, where a missing token should have been. */
    SourceSpan after(Token t) {
        int width = Math.max(0, t.getStopIndex() - t.getStartIndex() + 1);
        int line = t.getLine();
        int column = t.getCharPositionInLine() + 1;
        if (t.getText() != null && t.getText().indexOf('\n') >= 0) {
            String text = t.getText();
            line += (int) text.chars().filter(c -> c == '\n').count();
            column = text.length() - text.lastIndexOf('\n');
            return new SourceSpan(file, line, column, 1);
        }
        return new SourceSpan(file, line, column + width, 1);
    }

    SourceSpan at(int line, int column, int length) {
        return new SourceSpan(file, line, column, length);
    }

    /** The line on which a token ends (block comments may span lines). */
    static int endLine(Token t) {
        String text = t.getText();
        if (text == null) return t.getLine();
        int n = 0;
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') n++;
        return t.getLine() + n;
    }
}
