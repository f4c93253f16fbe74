package dev.lathe.frontend.parse;

import static dev.lathe.grammar.LatheLexer.*;

import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/** Describes tokens and sets of expected tokens in plain words for syntax errors. */
final class TokenWords {
    private TokenWords() {}

    private static final int[] NAMES = {IDENT, MODEL, VERSION, AS, DIM, WEIGHTS, RENAME, LENIENT, ON};
    private static final int[] STATEMENT_STARTS = {PARAM, RETURN, REPEAT, IF, ASSERT, AT};
    private static final int[] DECLARATION_STARTS = {IMPORT, DIM, CONST, WEIGHTS, BLOCK, GRAPH, PASSES};
    private static final int[] EXPRESSION_STARTS = {INT, FLOAT, STRING, TRUE, FALSE, LPAREN, LBRACK, MINUS, BANG};
    private static final int[] BINARY_OPERATORS = {PLUS, MINUS, STAR, SLASH, PERCENT, AT, EQ, NE, LT, LE, GT, GE, AND, OR};

    /** "';' or an operator", "'}' or a statement", "a name". */
    static String expected(IntervalSet expected) {
        IntervalSet rest = new IntervalSet(expected);
        rest.remove(Token.EPSILON);
        List<String> categories = new ArrayList<>();
        if (containsAll(rest, PARAM, RETURN, REPEAT, ASSERT)) {
            categories.add("a statement");
            removeAll(rest, STATEMENT_STARTS);
            removeAll(rest, NAMES);
        }
        if (containsAll(rest, IMPORT, CONST, BLOCK, GRAPH, PASSES)) {
            categories.add("a declaration");
            removeAll(rest, DECLARATION_STARTS);
        }
        if (containsAll(rest, EXPRESSION_STARTS) && rest.contains(IDENT)) {
            categories.add("an expression");
            removeAll(rest, EXPRESSION_STARTS);
            removeAll(rest, NAMES);
        }
        if (rest.contains(IDENT)) {
            categories.add("a name");
            removeAll(rest, NAMES);
        }
        int operators = 0;
        for (int op : BINARY_OPERATORS) if (rest.contains(op)) operators++;
        if (operators >= 4) {
            categories.add("an operator");
            removeAll(rest, BINARY_OPERATORS);
            rest.remove(LPAREN); // a call's '(' after a name
            rest.remove(DOT);    // a qualified name's '.'
            rest.remove(NAMED);
        }
        boolean eof = rest.contains(Token.EOF);
        rest.remove(Token.EOF);
        List<String> words = new ArrayList<>();
        for (int type : rest.toList()) words.add(single(type));
        words.addAll(categories);
        if (eof) words.add("end of file");
        if (words.isEmpty()) return "something else";
        if (words.size() == 1) return words.getFirst();
        return String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.getLast();
    }

    /** What a token the parser did not expect is: "name 'x'", "keyword 'graph'", "end of file". */
    static String found(Token t) {
        int type = t.getType();
        String text = t.getText();
        if (type == Token.EOF) return "end of file";
        if (type == IDENT) return "name '" + text + "'";
        if (type == INT || type == FLOAT) return "number " + text;
        if (type == STRING) return "string " + (text.length() > 24 ? text.substring(0, 20) + "...\"" : text);
        if (type >= MODEL && type <= FALSE) return "keyword '" + text + "'";
        return "'" + text + "'";
    }

    /** One expected token: "';'", "a name", "end of file". */
    static String single(int type) {
        return switch (type) {
            case Token.EOF -> "end of file";
            case IDENT -> "a name";
            case INT -> "an integer";
            case FLOAT -> "a number";
            case STRING -> "a string";
            default -> {
                String literal = VOCABULARY.getLiteralName(type);
                yield literal != null ? literal : VOCABULARY.getDisplayName(type);
            }
        };
    }

    static boolean isTopLevelKeyword(int type) {
        return type == IMPORT || type == CONST || type == BLOCK || type == GRAPH || type == PASSES;
    }

    private static boolean containsAll(IntervalSet set, int... types) {
        for (int t : types) if (!set.contains(t)) return false;
        return true;
    }

    private static void removeAll(IntervalSet set, int... types) {
        for (int t : types) set.remove(t);
    }
}
