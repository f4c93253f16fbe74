package dev.lathe.frontend.parse;

import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.DiagnosticException;
import dev.lathe.diag.ErrorCode;
import dev.lathe.diag.SourceSpan;
import dev.lathe.frontend.ast.Decl;
import dev.lathe.frontend.ast.ModelFile;
import dev.lathe.grammar.LatheLexer;
import dev.lathe.grammar.LatheParser;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;

/**
 * The parser front end: {@code .model} text to {@link ModelFile}. Every syntax error found in one
 * run is reported together in a {@link DiagnosticException} (E01xx, and E0701/E0702 for the
 * limits). Stateless and thread-safe.
 */
public final class ModelParser {
    /** Enough to show every real mistake in a file; past this, later errors are mostly echoes. */
    private static final int MAX_DIAGNOSTICS = 100;

    private ModelParser() {}

    public static ModelFile parse(String file, String text) {
        return parse(file, text, ParseLimits.DEFAULT);
    }

    public static ModelFile parse(String file, String text, ParseLimits limits) {
        Front front = Front.read(file, text, limits);
        LatheParser parser = front.parser();
        LatheParser.FileContext tree = parser.file();
        checkHeader(tree, front);
        front.throwIfErrors();
        List<Diagnostic> errors = new ArrayList<>();
        ModelFile model = new AstBuilder(front.spans, new Trivia(front.tokens, front.spans), errors).file(tree);
        if (!errors.isEmpty()) throw new DiagnosticException(sorted(errors));
        return model;
    }

    /**
     * One pass statement in the syntax of LANGUAGE.md §7, as given to the CLI's {@code --pass}
     * option; the trailing ';' is optional. {@code origin} names the source in diagnostics.
     */
    public static Decl.PassStmt parsePassStatement(String text, String origin) {
        Front front = Front.read(origin, text, ParseLimits.DEFAULT);
        LatheParser.SinglePassContext tree = front.parser().singlePass();
        front.throwIfErrors();
        return new AstBuilder(front.spans, new Trivia(front.tokens, front.spans), new ArrayList<>())
                .pass(tree.passCall(), tree.passCall());
    }

    private static void checkHeader(LatheParser.FileContext tree, Front front) {
        LatheParser.HeaderContext header = tree.header();
        if (header == null) {
            Token first = tree.getStart();
            SourceSpan at = first.getType() == Token.EOF ? front.spans.at(1, 1, 1) : front.spans.of(first);
            front.syntax.add(Diagnostic.error(ErrorCode.E0105, at,
                    "missing header: a .model file starts with 'model NAME version 1;'"));
            return;
        }
        Token version = header.version;
        if (version == null || version.getTokenIndex() < 0 || version.getType() != LatheLexer.INT) return;
        if (!isOne(version.getText())) {
            front.syntax.add(Diagnostic.error(ErrorCode.E0105, front.spans.of(version),
                    "unsupported language version " + version.getText() + ": this compiler reads version 1"));
        }
    }

    private static boolean isOne(String digits) {
        try {
            return Long.parseLong(digits) == 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static List<Diagnostic> sorted(List<Diagnostic> diagnostics) {
        List<Diagnostic> out = new ArrayList<>(new LinkedHashSet<>(diagnostics));
        out.sort(Comparator.comparingInt((Diagnostic d) -> d.span().line()).thenComparingInt(d -> d.span().column()));
        return out.size() > MAX_DIAGNOSTICS ? out.subList(0, MAX_DIAGNOSTICS) : out;
    }

    /** Lexing, the limit checks and the token screen, shared by both entry points. */
    private static final class Front {
        final Spans spans;
        final List<Token> tokens;
        final TokenScreen.Result screen;
        final List<Diagnostic> syntax = new ArrayList<>();

        private Front(Spans spans, List<Token> tokens, TokenScreen.Result screen) {
            this.spans = spans;
            this.tokens = tokens;
            this.screen = screen;
        }

        static Front read(String file, String text, ParseLimits limits) {
            Spans spans = new Spans(file, text);
            long bytes = utf8Length(text);
            if (bytes > limits.maxSourceBytes()) {
                throw new DiagnosticException(Diagnostic.error(ErrorCode.E0701, spans.at(1, 1, 1),
                        "source is " + bytes + " bytes, more than the limit of " + limits.maxSourceBytes() + " bytes"));
            }
            LatheLexer lexer = new LatheLexer(CharStreams.fromString(text, file));
            lexer.removeErrorListeners();
            List<Token> lexed = new ArrayList<>();
            for (Token t = lexer.nextToken(); ; t = lexer.nextToken()) {
                lexed.add(t);
                if (t.getType() == Token.EOF) break;
            }
            Token deep = NestingCheck.firstTooDeep(lexed, limits.maxNesting());
            if (deep != null) {
                throw new DiagnosticException(Diagnostic.error(ErrorCode.E0702, spans.of(deep),
                        "nesting too deep: more than " + limits.maxNesting() + " levels of brackets, blocks or operators"));
            }
            TokenScreen.Result screen = TokenScreen.screen(lexed, spans, MAX_DIAGNOSTICS);
            return new Front(spans, screen.tokens(), screen);
        }

        LatheParser parser() {
            CommonTokenStream stream = new CommonTokenStream(new ListTokenSource(tokens, spans.file()));
            LatheParser parser = new LatheParser(stream);
            parser.removeErrorListeners();
            parser.addErrorListener(new BaseErrorListener() {
                // Only reached if ANTLR reports something the strategy does not rewrite.
                @Override
                public void syntaxError(Recognizer<?, ?> r, Object symbol, int line, int column, String msg, RecognitionException e) {
                    syntax.add(Diagnostic.error(ErrorCode.E0101, spans.at(line, column + 1, 1), msg));
                }
            });
            parser.setErrorHandler(new SyntaxErrorStrategy(spans, syntax));
            return parser;
        }

        void throwIfErrors() {
            List<Diagnostic> all = new ArrayList<>(screen.errors());
            for (Diagnostic d : syntax) if (!screen.shadows().covers(d.span())) all.add(d);
            if (!all.isEmpty()) throw new DiagnosticException(sorted(all));
        }

        private static long utf8Length(String text) {
            long n = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c < 0x80) n++;
                else if (c < 0x800) n += 2;
                else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    n += 4;
                    i++;
                } else n += 3;
            }
            return n;
        }
    }
}
