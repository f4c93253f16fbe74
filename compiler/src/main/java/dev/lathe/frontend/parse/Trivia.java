package dev.lathe.frontend.parse;

import dev.lathe.frontend.ast.ModelFile;
import dev.lathe.grammar.LatheLexer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.antlr.v4.runtime.Token;

/**
 * The comments of a file. A run of {@code ///} lines, each alone on its line, on the lines right
 * before a declaration or statement is that node's doc text; every other comment, including a
 * {@code ///} line that nothing claims, is an ordinary comment kept in {@link ModelFile#comments()}.
 */
final class Trivia {
    private final List<Token> tokens;
    private final Spans spans;
    private final BitSet claimed = new BitSet();

    Trivia(List<Token> tokens, Spans spans) {
        this.tokens = tokens;
        this.spans = spans;
    }

    /** The doc text right before the node starting at {@code start}, or null; claims its tokens. */
    String docBefore(Token start) {
        int line = start.getLine();
        List<String> lines = new ArrayList<>();
        int i = start.getTokenIndex() - 1;
        for (; i >= 0; i--) {
            Token t = tokens.get(i);
            if (t.getType() != LatheLexer.DOC_COMMENT || claimed.get(i) || t.getLine() != line - 1 || !firstOnLine(i)) break;
            lines.addFirst(docLine(t.getText()));
            line--;
        }
        if (lines.isEmpty()) return null;
        claimed.set(i + 1, start.getTokenIndex());
        return String.join("\n", lines);
    }

    /** Ordinary comments in source order; call after every doc text was claimed. */
    List<ModelFile.Comment> comments() {
        List<ModelFile.Comment> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            boolean comment = t.getChannel() == LatheLexer.COMMENTS || t.getChannel() == LatheLexer.DOCS;
            if (comment && !claimed.get(i)) out.add(new ModelFile.Comment(spans.of(t), t.getText()));
        }
        return out;
    }

    private boolean firstOnLine(int index) {
        Token t = tokens.get(index);
        for (int i = index - 1; i >= 0; i--) {
            Token before = tokens.get(i);
            if (before.getType() == Token.EOF) continue;
            return Spans.endLine(before) < t.getLine();
        }
        return true;
    }

    /** {@code "/// text"} to {@code "text"}: the marker and one space go, trailing blanks too. */
    private static String docLine(String token) {
        String text = token.substring(3);
        if (text.startsWith(" ")) text = text.substring(1);
        return text.stripTrailing();
    }
}
