package dev.lathe.frontend.parse;

import dev.lathe.grammar.LatheLexer;
import java.util.List;
import org.antlr.v4.runtime.Token;

/**
 * Finds input that nests deeper than the limit by counting over the token stream, before the
 * recursive-descent parser (and the recursive AST walks after it) could overflow the stack.
 *
 * <p>The depth counted is an upper bound of the parse-tree depth: each open bracket or brace adds
 * one, and so does each operator and each {@code else if} since the start of the current
 * expression or statement, because {@code a + b + c ...} and {@code if .. else if ..} chains nest
 * one level per link.
 */
final class NestingCheck {
    private NestingCheck() {}

    /** The first token at which the depth exceeds {@code max}, or null. */
    static Token firstTooDeep(List<Token> tokens, int max) {
        // chain[d] = operators and else-ifs seen at bracket depth d; sum = their total over all depths.
        int[] chain = new int[Math.min(max + 2, 1024)];
        int depth = 0;
        long sum = 0;
        int previous = Token.INVALID_TYPE;
        for (Token t : tokens) {
            if (t.getChannel() != Token.DEFAULT_CHANNEL) continue;
            int type = t.getType();
            switch (type) {
                case LatheLexer.LPAREN, LatheLexer.LBRACK, LatheLexer.LBRACE -> {
                    depth++;
                    if (depth + sum > max) return t;
                    if (depth == chain.length) chain = java.util.Arrays.copyOf(chain, chain.length * 2);
                    chain[depth] = 0;
                }
                case LatheLexer.RPAREN, LatheLexer.RBRACK, LatheLexer.RBRACE -> {
                    if (depth > 0) {
                        sum -= chain[depth];
                        depth--;
                    }
                }
                case LatheLexer.SEMI, LatheLexer.COMMA -> {
                    sum -= chain[depth];
                    chain[depth] = 0;
                }
                case LatheLexer.IF -> {
                    if (previous == LatheLexer.ELSE) {
                        chain[depth]++;
                        sum++;
                        if (depth + sum > max) return t;
                    } else {
                        sum -= chain[depth];
                        chain[depth] = 0;
                    }
                }
                default -> {
                    if (isOperator(type)) {
                        chain[depth]++;
                        sum++;
                        if (depth + sum > max) return t;
                    }
                }
            }
            previous = type;
        }
        return null;
    }

    private static boolean isOperator(int type) {
        return switch (type) {
            case LatheLexer.PLUS, LatheLexer.MINUS, LatheLexer.STAR, LatheLexer.SLASH, LatheLexer.PERCENT, LatheLexer.AT,
                 LatheLexer.EQ, LatheLexer.NE, LatheLexer.LT, LatheLexer.LE, LatheLexer.GT, LatheLexer.GE,
                 LatheLexer.AND, LatheLexer.OR, LatheLexer.BANG -> true;
            default -> false;
        };
    }
}
