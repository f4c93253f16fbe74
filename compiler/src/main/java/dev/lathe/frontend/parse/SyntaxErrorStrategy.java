package dev.lathe.frontend.parse;

import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.ErrorCode;
import dev.lathe.diag.SourceSpan;
import dev.lathe.grammar.LatheLexer;
import dev.lathe.grammar.LatheParser;
import java.util.List;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.ATNState;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * ANTLR's recovery with the messages rewritten in plain words ("expected ';' at the end of the
 * statement" instead of a token set), errors in the header reported as E0105, and two changes to
 * recovery so that one mistake yields one diagnostic: a top-level keyword is never skipped as a
 * stray token (it most likely starts the next declaration after a missing '}'), and a bad token at
 * the start of a declaration or statement is skipped up to the next one instead of abandoning the
 * whole list.
 */
final class SyntaxErrorStrategy extends DefaultErrorStrategy {
    private static final int MAX_REPORTED = 200;

    private final Spans spans;
    private final List<Diagnostic> sink;

    SyntaxErrorStrategy(Spans spans, List<Diagnostic> sink) {
        this.spans = spans;
        this.sink = sink;
    }

    @Override
    public void sync(Parser recognizer) throws RecognitionException {
        if (inErrorRecoveryMode(recognizer)) return;
        ATNState state = recognizer.getInterpreter().atn.states.get(recognizer.getState());
        int la = recognizer.getInputStream().LA(1);
        IntervalSet next = recognizer.getATN().nextTokens(state);
        boolean loop = switch (state.getStateType()) {
            case ATNState.STAR_LOOP_ENTRY, ATNState.STAR_LOOP_BACK, ATNState.PLUS_LOOP_BACK -> true;
            default -> false;
        };
        if (loop && isListRule(recognizer.getContext()) && !next.contains(la) && !next.contains(Token.EPSILON)) {
            Token bad = recognizer.getCurrentToken();
            beginErrorCondition(recognizer);
            report(recognizer, bad, "expected " + TokenWords.expected(next) + ", found " + TokenWords.found(bad));
            IntervalSet stopAt = new IntervalSet(next);
            stopAt.addAll(getErrorRecoverySet(recognizer));
            consumeUntil(recognizer, stopAt);
            return;
        }
        super.sync(recognizer);
    }

    /**
     * A '{' that is missing where a body starts is most often late, not absent ({@code if a = b {}):
     * skip to it when it comes later on the same line, so the body is still read as a body.
     */
    @Override
    public Token recoverInline(Parser recognizer) throws RecognitionException {
        if (getExpectedTokens(recognizer).contains(LatheLexer.LBRACE)) {
            var stream = recognizer.getInputStream();
            Token bad = recognizer.getCurrentToken();
            for (int k = 2; ; k++) {
                Token t = stream.LT(k);
                int type = t.getType();
                if (type == Token.EOF || t.getLine() != bad.getLine() || type == LatheLexer.SEMI || type == LatheLexer.RBRACE) break;
                if (type == LatheLexer.LBRACE) {
                    if (!inErrorRecoveryMode(recognizer)) {
                        beginErrorCondition(recognizer);
                        mismatch(recognizer, bad, getExpectedTokens(recognizer));
                    }
                    for (int i = 1; i < k; i++) recognizer.consume();
                    Token matched = recognizer.getCurrentToken();
                    reportMatch(recognizer);
                    recognizer.consume();
                    return matched;
                }
            }
        }
        // ANTLR would describe the tokens expected at the last point where a rule could have ended,
        // which may lie before tokens already matched (`)` in `f(x) "sel"`); describe this point.
        nextTokensContext = null;
        nextTokensState = ATNState.INVALID_STATE_NUMBER;
        return super.recoverInline(recognizer);
    }

    @Override
    protected Token singleTokenDeletion(Parser recognizer) {
        if (TokenWords.isTopLevelKeyword(recognizer.getInputStream().LA(1))) return null;
        return super.singleTokenDeletion(recognizer);
    }

    @Override
    protected void reportNoViableAlternative(Parser recognizer, NoViableAltException e) {
        Token bad = e.getOffendingToken();
        if (e.getStartToken().getTokenIndex() == bad.getTokenIndex()) {
            mismatch(recognizer, bad, e.getExpectedTokens());
        } else {
            report(recognizer, bad, hint(recognizer, bad, "unexpected " + TokenWords.found(bad)));
        }
    }

    @Override
    protected void reportInputMismatch(Parser recognizer, InputMismatchException e) {
        mismatch(recognizer, e.getOffendingToken(), e.getExpectedTokens());
    }

    @Override
    protected void reportUnwantedToken(Parser recognizer) {
        if (inErrorRecoveryMode(recognizer)) return;
        beginErrorCondition(recognizer);
        Token bad = recognizer.getCurrentToken();
        IntervalSet expected = getExpectedTokens(recognizer);
        if (!endOfLine(recognizer, bad, expected)) {
            report(recognizer, bad, hint(recognizer, bad,
                    "unexpected " + TokenWords.found(bad) + ", expected " + TokenWords.expected(expected)));
        }
    }

    private void mismatch(Parser recognizer, Token bad, IntervalSet expected) {
        if (!endOfLine(recognizer, bad, expected)) {
            report(recognizer, bad, hint(recognizer, bad,
                    "expected " + TokenWords.expected(expected) + ", found " + TokenWords.found(bad)));
        }
    }

    /**
     * When a ';' or a closing bracket is missing at the end of a line, the parser only notices at
     * the first token of the next line; the line to fix is the one before, so report it there.
     */
    private boolean endOfLine(Parser recognizer, Token bad, IntervalSet expected) {
        Token previous = previousDefaultToken(recognizer, bad);
        if (previous == null || bad.getType() == Token.EOF || bad.getLine() <= Spans.endLine(previous)) return false;
        boolean closes = expected.contains(LatheLexer.SEMI) || expected.contains(LatheLexer.RPAREN)
                || expected.contains(LatheLexer.RBRACK);
        if (!closes) return false;
        String message = expected.contains(LatheLexer.SEMI)
                ? "expected ';' at the end of the " + noun(recognizer.getContext())
                : "expected " + TokenWords.expected(expected) + " at the end of the line";
        add(Diagnostic.error(code(recognizer.getContext()), spans.after(previous), message));
        return true;
    }

    private static Token previousDefaultToken(Parser recognizer, Token t) {
        var stream = recognizer.getInputStream();
        for (int i = t.getTokenIndex() - 1; i >= 0; i--) {
            Token p = stream.get(i);
            if (p.getChannel() == Token.DEFAULT_CHANNEL) return p;
        }
        return null;
    }

    @Override
    protected void reportMissingToken(Parser recognizer) {
        if (inErrorRecoveryMode(recognizer)) return;
        beginErrorCondition(recognizer);
        IntervalSet expected = getExpectedTokens(recognizer);
        Token previous = recognizer.getInputStream().LT(-1);
        String what = TokenWords.expected(expected);
        String message;
        if (expected.contains(LatheLexer.SEMI)) {
            message = "expected ';' at the end of the " + noun(recognizer.getContext());
        } else if (expected.contains(LatheLexer.ON)) {
            message = "expected 'on' and the selectors after the pass arguments";
        } else if (expected.contains(LatheLexer.ARROW) && previous != null && previous.getType() == LatheLexer.RPAREN) {
            message = "expected '->' and the result types after the parameters";
        } else if (previous != null) {
            message = "expected " + what + " after " + TokenWords.found(previous).replaceFirst("^(name|keyword|number|string) ", "");
        } else {
            message = "expected " + what;
        }
        SourceSpan at = previous != null ? spans.after(previous) : spans.of(recognizer.getCurrentToken());
        add(Diagnostic.error(code(recognizer.getContext()), at, message));
    }

    @Override
    public void reportError(Parser recognizer, RecognitionException e) {
        if (inErrorRecoveryMode(recognizer)) return;
        beginErrorCondition(recognizer);
        switch (e) {
            case NoViableAltException n -> reportNoViableAlternative(recognizer, n);
            case InputMismatchException m -> reportInputMismatch(recognizer, m);
            default -> report(recognizer, e.getOffendingToken(), "unexpected " + TokenWords.found(e.getOffendingToken()));
        }
    }

    private void add(Diagnostic d) {
        // Enough to show every real mistake; past this, more errors are mostly echoes.
        if (sink.size() < MAX_REPORTED) sink.add(d);
    }

    private void report(Parser recognizer, Token bad, String message) {
        SourceSpan at;
        if (bad.getType() == Token.EOF && recognizer.getInputStream().index() > 0) {
            // Point at the end of the last real token: that is the line the user has to fix.
            Token last = previousDefaultToken(recognizer, bad);
            at = last != null ? spans.after(last) : spans.of(bad);
        } else {
            at = spans.of(bad);
        }
        add(Diagnostic.error(code(recognizer.getContext()), at, message));
    }

    private static String hint(Parser recognizer, Token bad, String message) {
        ParserRuleContext ctx = recognizer.getContext();
        if (ctx instanceof LatheParser.AnnotatableContext || ctx instanceof LatheParser.AnnotatedStmtContext) {
            return "an annotation must stand before a 'param' or an assignment, found " + TokenWords.found(bad);
        }
        if (bad.getType() == LatheLexer.ASSIGN && inCondition(ctx)) return message + " (comparison is '==')";
        return message;
    }

    /** Whether the innermost construct around {@code ctx} that could hold a '=' is an if or assert condition. */
    private static boolean inCondition(ParserRuleContext ctx) {
        for (ParserRuleContext c = ctx; c != null; c = c.getParent()) {
            switch (c) {
                case LatheParser.IfChainContext i -> { return true; }
                case LatheParser.AssertStmtContext a -> { return true; }
                case LatheParser.AssignmentContext a -> { return false; }
                case LatheParser.ParamDeclContext p -> { return false; }
                case LatheParser.ArgContext a -> { return false; }
                case LatheParser.SigParamContext p -> { return false; }
                case LatheParser.DeclContext d -> { return false; }
                default -> { }
            }
        }
        return false;
    }

    private static boolean isListRule(ParserRuleContext ctx) {
        return ctx instanceof LatheParser.FileContext || ctx instanceof LatheParser.BodyContext
                || ctx instanceof LatheParser.PassesDeclContext || ctx instanceof LatheParser.WeightsDeclContext;
    }

    private static ErrorCode code(ParserRuleContext ctx) {
        for (ParserRuleContext c = ctx; c != null; c = c.getParent()) {
            if (c instanceof LatheParser.HeaderContext) return ErrorCode.E0105;
        }
        return ErrorCode.E0101;
    }

    private static String noun(ParserRuleContext ctx) {
        for (ParserRuleContext c = ctx; c != null; c = c.getParent()) {
            switch (c) {
                case LatheParser.HeaderContext h -> { return "model header"; }
                case LatheParser.RenameRuleContext r -> { return "rename rule"; }
                case LatheParser.PassStmtContext p -> { return "pass statement"; }
                case LatheParser.PassCallContext p -> { return "pass statement"; }
                case LatheParser.StmtContext s -> { return "statement"; }
                case LatheParser.ParamDeclContext p -> { return "statement"; }
                case LatheParser.AssignmentContext a -> { return "statement"; }
                case LatheParser.DeclContext d -> { return "declaration"; }
                default -> { }
            }
        }
        return "statement";
    }
}
