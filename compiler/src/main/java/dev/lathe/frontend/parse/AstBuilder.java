package dev.lathe.frontend.parse;

import static dev.lathe.grammar.LatheParser.*;

import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.ErrorCode;
import dev.lathe.frontend.ast.Annotation;
import dev.lathe.frontend.ast.Arg;
import dev.lathe.frontend.ast.Decl;
import dev.lathe.frontend.ast.Expr;
import dev.lathe.frontend.ast.ModelFile;
import dev.lathe.frontend.ast.Stmt;
import dev.lathe.frontend.ast.TypeRef;
import dev.lathe.grammar.LatheLexer;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Walks an error-free parse tree into the records of {@link dev.lathe.frontend.ast}. The few
 * checks the grammar leaves open (how a signature type is written) are reported as E0101.
 */
final class AstBuilder {
    private final Spans spans;
    private final Trivia trivia;
    private final List<Diagnostic> errors;

    AstBuilder(Spans spans, Trivia trivia, List<Diagnostic> errors) {
        this.spans = spans;
        this.trivia = trivia;
        this.errors = errors;
    }

    ModelFile file(FileContext ctx) {
        HeaderContext header = ctx.header();
        List<Decl> decls = new ArrayList<>();
        for (DeclContext d : ctx.decl()) decls.add(decl(d));
        return new ModelFile(spans.of(header), spans.file(), name(header.name), Long.parseLong(header.version.getText()),
                decls, trivia.comments());
    }

    Decl.PassStmt pass(PassCallContext ctx, ParserRuleContext whole) {
        List<Expr.StringLit> selectors = ctx.STRING().stream().map(this::string).toList();
        return new Decl.PassStmt(spans.of(whole), name(ctx.pass), args(ctx.argList()), selectors);
    }

    private Decl decl(DeclContext ctx) {
        return switch (ctx) {
            case ImportModuleContext c -> new Decl.Import(spans.of(c), dotted(c.moduleName().ident()), null,
                    c.alias == null ? null : name(c.alias), c.STAR() != null);
            case ImportPathContext c -> new Decl.Import(spans.of(c), null, StringLiterals.unquote(c.path.getText()),
                    c.alias == null ? null : name(c.alias), false);
            case DimDeclContext c -> new Decl.Dims(spans.of(c), trivia.docBefore(c.getStart()),
                    c.dimDef().stream().map(this::dimDef).toList());
            case ConstDeclContext c -> new Decl.Consts(spans.of(c), trivia.docBefore(c.getStart()),
                    c.constDef().stream().map(d -> new Decl.ConstDef(spans.of(d), name(d.name), expr(d.value))).toList());
            case WeightsDeclContext c -> new Decl.Weights(spans.of(c), StringLiterals.unquote(c.path.getText()),
                    c.LENIENT() != null, c.renameRule().stream().map(this::rename).toList());
            case BlockDeclContext c -> block(c);
            case PassesDeclContext c -> new Decl.Passes(spans.of(c),
                    c.passStmt().stream().map(p -> pass(p.passCall(), p)).toList());
            default -> throw new IllegalStateException("unknown declaration " + ctx.getClass().getSimpleName());
        };
    }

    private Decl.DimDef dimDef(DimDefContext c) {
        return new Decl.DimDef(spans.of(c), name(c.name), c.lo == null ? null : expr(c.lo), c.hi == null ? null : expr(c.hi));
    }

    private Decl.RenameRule rename(RenameRuleContext c) {
        return new Decl.RenameRule(spans.of(c), StringLiterals.unquote(c.from.getText()), StringLiterals.unquote(c.to.getText()));
    }

    private Decl.Block block(BlockDeclContext c) {
        String doc = trivia.docBefore(c.getStart());
        SignatureContext sig = c.signature();
        List<Decl.SigParam> params = sig.sigParam().stream().map(this::sigParam).toList();
        List<Decl.Result> results = switch (sig.results()) {
            case SingleResultContext r -> List.of(new Decl.Result(spans.of(r), null, tensor(r.tensorType())));
            case ResultListContext r -> r.result().stream()
                    .map(x -> new Decl.Result(spans.of(x), x.name == null ? null : name(x.name), tensor(x.tensorType())))
                    .toList();
            default -> throw new IllegalStateException("unknown results " + sig.results().getClass().getSimpleName());
        };
        List<Stmt> body = c.body() == null ? null : body(c.body());
        return new Decl.Block(spans.of(c), doc, c.kind.getType() == LatheLexer.GRAPH, name(c.name), params, results, body);
    }

    private Decl.SigParam sigParam(SigParamContext c) {
        return new Decl.SigParam(spans.of(c), name(c.name), sigType(c.sigType()),
                c.defaultValue == null ? null : expr(c.defaultValue), c.QUESTION() != null, c.ELLIPSIS() != null);
    }

    /**
     * {@code int}, {@code float}, {@code bool}, {@code string} and their lists ({@code int[]}) are
     * attributes; any other name with brackets is a tensor type ({@code bool[...]} included).
     */
    private TypeRef sigType(SigTypeContext c) {
        String element = name(c.elementType);
        TypeRef.AttributeKind kind = switch (element) {
            case "int" -> TypeRef.AttributeKind.INT;
            case "float" -> TypeRef.AttributeKind.FLOAT;
            case "bool" -> TypeRef.AttributeKind.BOOL;
            case "string" -> TypeRef.AttributeKind.STRING;
            default -> null;
        };
        boolean brackets = c.LBRACK() != null;
        boolean dims = c.typeDims() != null;
        if (kind != null && !dims) return new TypeRef.Attribute(spans.of(c), kind, brackets);
        if (kind != null && kind != TypeRef.AttributeKind.BOOL) {
            errors.add(Diagnostic.error(ErrorCode.E0101, spans.of(c.LBRACK().getSymbol()), "attribute type '" + element
                    + "' takes no dims: write " + element + "[] for a list, or use a tensor type such as i64[...]"));
        } else if (!brackets) {
            errors.add(Diagnostic.error(ErrorCode.E0101, spans.after(c.elementType.getStop()),
                    "expected '[' and the dims after element type '" + element + "' (" + element + "[] is a scalar)"));
        }
        return new TypeRef.Tensor(spans.of(c), element, dims(c.typeDims()));
    }

    private TypeRef.Tensor tensor(TensorTypeContext c) {
        return new TypeRef.Tensor(spans.of(c), name(c.elementType), dims(c.typeDims()));
    }

    private List<Expr> dims(TypeDimsContext c) {
        if (c == null) return List.of();
        List<Expr> out = new ArrayList<>();
        boolean ellipsis = false;
        for (DimEntryContext d : c.dimEntry()) {
            out.add(switch (d) {
                case EllipsisDimContext e -> {
                    if (ellipsis) {
                        errors.add(Diagnostic.error(ErrorCode.E0101, spans.of(e), "a type may have only one '...'"));
                    }
                    ellipsis = true;
                    yield new Expr.Ellipsis(spans.of(e));
                }
                case UnknownDimContext u -> new Expr.UnknownDim(spans.of(u));
                case ExprDimContext x -> expr(x.expr());
                default -> throw new IllegalStateException("unknown dim " + d.getClass().getSimpleName());
            });
        }
        return out;
    }

    private List<Stmt> body(BodyContext c) {
        List<Stmt> out = new ArrayList<>(c.stmt().size());
        for (StmtContext s : c.stmt()) out.add(stmt(s));
        return out;
    }

    private Stmt stmt(StmtContext ctx) {
        return switch (ctx) {
            case AnnotatedStmtContext c -> {
                String doc = trivia.docBefore(c.getStart());
                List<Annotation> annotations = c.annotation().stream().map(this::annotation).toList();
                yield switch (c.annotatable()) {
                    case AnnotatedParamContext p -> param(p.paramDecl(), doc, annotations);
                    case AnnotatedAssignContext a -> assign(a.assignment(), doc, annotations);
                    default -> throw new IllegalStateException("unknown annotated statement");
                };
            }
            case ParamStmtContext c -> param(c.paramDecl(), trivia.docBefore(c.getStart()), List.of());
            case AssignStmtContext c -> assign(c.assignment(), trivia.docBefore(c.getStart()), List.of());
            case ReturnStmtContext c -> new Stmt.Return(spans.of(c), c.expr().stream().map(this::expr).toList());
            case RepeatStmtContext c -> new Stmt.Repeat(spans.of(c), name(c.variable), expr(c.from), expr(c.to), body(c.body()));
            case IfStmtContext c -> ifChain(c.ifChain());
            case AssertStmtContext c -> new Stmt.Assert(spans.of(c), expr(c.condition),
                    c.message == null ? null : string(c.message));
            default -> throw new IllegalStateException("unknown statement " + ctx.getClass().getSimpleName());
        };
    }

    private Stmt.Param param(ParamDeclContext c, String doc, List<Annotation> annotations) {
        return new Stmt.Param(spans.of(c), doc, annotations, name(c.name), tensor(c.tensorType()),
                c.condition == null ? null : expr(c.condition));
    }

    private Stmt.Assign assign(AssignmentContext c, String doc, List<Annotation> annotations) {
        List<Stmt.Target> targets = c.target().stream().map(t -> new Stmt.Target(spans.of(t), name(t.ident()))).toList();
        return new Stmt.Assign(spans.of(c), doc, annotations, targets, expr(c.value));
    }

    private Stmt.If ifChain(IfChainContext c) {
        List<Stmt> orElse = switch (c.elseBranch()) {
            case null -> List.of();
            case ElseIfContext e -> List.of(ifChain(e.ifChain()));
            case ElseBodyContext e -> body(e.body());
            default -> throw new IllegalStateException("unknown else branch");
        };
        return new Stmt.If(spans.of(c), expr(c.condition), body(c.then), orElse);
    }

    private Annotation annotation(AnnotationContext c) {
        return new Annotation(spans.of(c), name(c.name), args(c.argList()));
    }

    private List<Arg> args(ArgListContext c) {
        if (c == null) return List.of();
        List<Arg> out = new ArrayList<>(c.arg().size());
        for (ArgContext a : c.arg()) {
            out.add(switch (a) {
                case NamedArgContext n -> new Arg(spans.of(n), n.name.getText(), expr(n.value));
                case PositionalArgContext p -> new Arg(spans.of(p), null, expr(p.value));
                default -> throw new IllegalStateException("unknown argument " + a.getClass().getSimpleName());
            });
        }
        return out;
    }

    private Expr expr(ExprContext ctx) {
        return switch (ctx) {
            case CallExprContext c -> new Expr.Call(spans.of(c), dotted(c.callee.ident()), args(c.argList()),
                    c.instance == null ? null : string(c.instance));
            case NameExprContext c -> new Expr.Name(spans.of(c), dotted(c.qualifiedName().ident()));
            case IntExprContext c -> new Expr.IntLit(spans.of(c), Long.parseLong(c.getText()), c.getText());
            case FloatExprContext c -> new Expr.FloatLit(spans.of(c), Double.parseDouble(c.getText()), c.getText());
            case BoolExprContext c -> new Expr.BoolLit(spans.of(c), c.TRUE() != null);
            case StringExprContext c -> string(c.STRING().getSymbol());
            case ListExprContext c -> new Expr.ListLit(spans.of(c), c.expr().stream().map(this::expr).toList());
            case ParenExprContext c -> expr(c.expr());
            case UnaryExprContext c -> new Expr.Unary(spans.of(c),
                    c.op.getType() == LatheLexer.MINUS ? Expr.UnaryOp.NEG : Expr.UnaryOp.NOT, expr(c.operand));
            case MulExprContext c -> binary(c, c.left, c.op, c.right);
            case AddExprContext c -> binary(c, c.left, c.op, c.right);
            case RelExprContext c -> binary(c, c.left, c.op, c.right);
            case EqExprContext c -> binary(c, c.left, c.op, c.right);
            case AndExprContext c -> binary(c, c.left, c.op, c.right);
            case OrExprContext c -> binary(c, c.left, c.op, c.right);
            default -> throw new IllegalStateException("unknown expression " + ctx.getClass().getSimpleName());
        };
    }

    private Expr binary(ExprContext c, ExprContext left, Token op, ExprContext right) {
        Expr.BinaryOp kind = switch (op.getType()) {
            case LatheLexer.STAR -> Expr.BinaryOp.MUL;
            case LatheLexer.SLASH -> Expr.BinaryOp.DIV;
            case LatheLexer.PERCENT -> Expr.BinaryOp.MOD;
            case LatheLexer.AT -> Expr.BinaryOp.MATMUL;
            case LatheLexer.PLUS -> Expr.BinaryOp.ADD;
            case LatheLexer.MINUS -> Expr.BinaryOp.SUB;
            case LatheLexer.LT -> Expr.BinaryOp.LT;
            case LatheLexer.LE -> Expr.BinaryOp.LE;
            case LatheLexer.GT -> Expr.BinaryOp.GT;
            case LatheLexer.GE -> Expr.BinaryOp.GE;
            case LatheLexer.EQ -> Expr.BinaryOp.EQ;
            case LatheLexer.NE -> Expr.BinaryOp.NE;
            case LatheLexer.AND -> Expr.BinaryOp.AND;
            case LatheLexer.OR -> Expr.BinaryOp.OR;
            default -> throw new IllegalStateException("unknown operator " + op.getText());
        };
        return new Expr.Binary(spans.of(c), kind, expr(left), expr(right));
    }

    private Expr.StringLit string(TerminalNode node) {
        return string(node.getSymbol());
    }

    private Expr.StringLit string(Token t) {
        return new Expr.StringLit(spans.of(t), StringLiterals.unquote(t.getText()));
    }

    private static String name(IdentContext c) {
        return c.getText();
    }

    private static String dotted(List<IdentContext> parts) {
        StringBuilder sb = new StringBuilder();
        for (IdentContext p : parts) {
            if (!sb.isEmpty()) sb.append('.');
            sb.append(p.getText());
        }
        return sb.toString();
    }
}
