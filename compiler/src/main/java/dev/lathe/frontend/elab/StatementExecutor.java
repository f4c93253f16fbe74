package dev.lathe.frontend.elab;

import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.ErrorCode;
import dev.lathe.frontend.ast.Annotation;
import dev.lathe.frontend.ast.Decl;
import dev.lathe.frontend.ast.Expr;
import dev.lathe.frontend.ast.Stmt;
import dev.lathe.frontend.ast.TypeRef;
import dev.lathe.ir.Dim;
import dev.lathe.ir.Provenance;
import dev.lathe.ir.TensorType;
import dev.lathe.runtime.DType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs the statements of a block or graph body (LANGUAGE.md §5). An error in a statement is
 * reported with the enclosing instances as notes; the names the statement would have bound are
 * bound to {@link Val.Error} (for {@code if} and {@code repeat}, every name assigned in their
 * bodies), which silences errors that would only follow from the first, and the next statement
 * runs. Statements after a {@code return} are not run.
 */
final class StatementExecutor {
    private final Expander x;

    StatementExecutor(Expander x) {
        this.x = x;
    }

    void executeBody(List<Stmt> body, Frame f) {
        for (Stmt s : body) {
            if (f.hasReturned()) return;
            try {
                execute(s, f);
            } catch (ElabError e) {
                x.ctx.reportIn(f, e);
                poison(s, f);
            }
        }
    }

    private void execute(Stmt s, Frame f) {
        switch (s) {
            case Stmt.Param p -> param(p, f);
            case Stmt.Assign a -> assign(a, f);
            case Stmt.Return r -> ret(r, f);
            case Stmt.Repeat r -> repeat(r, f);
            case Stmt.If i -> executeBody(condition(i.condition(), f, "if") ? i.then() : i.orElse(), f);
            case Stmt.Assert a -> check(a, f);
        }
    }

    /**
     * {@code param w: f32[out, I] if cond;}: a graph param at {@code instance path + "." + name} (a
     * bare name in a graph), or, when the condition is false, the name bound to absent.
     */
    private void param(Stmt.Param p, Frame f) {
        if (p.condition() != null && !condition(p.condition(), f, "param " + p.name() + " if")) {
            f.scope().bind(p.name(), new Val.Absent(p.name()));
            return;
        }
        TensorType type = paramType(p, f);
        String path = f.childPath(p.name());
        x.ctx.instances().registerParam(path, p.span());
        f.scope().bind(p.name(), new Val.Tensor(x.ctx.builder().param(path, type, new Provenance(p.span(), path))));
        annotate(p.annotations(), path, f);
    }

    /** A param's shape must be constants: literals, consts, attributes or bound pattern variables (E0306). */
    private TensorType paramType(Stmt.Param p, Frame f) {
        TypeRef.Tensor t = p.type();
        DType dtype = DType.fromSourceName(t.elementType()).or(() -> f.unifier().typeVariable(t.elementType()))
                .orElseThrow(() -> new ElabError(ErrorCode.E0302, t.span(), "param " + p.name() + ": " + t.elementType()
                        + " is not an element type" + NameSuggestions.didYouMean(t.elementType(),
                        java.util.Arrays.stream(DType.values()).map(DType::sourceName).toList())));
        List<Dim> shape = new ArrayList<>();
        for (Expr d : t.dims()) {
            if (d instanceof Expr.UnknownDim || d instanceof Expr.Ellipsis) {
                throw new ElabError(ErrorCode.E0306, d.span(), "param " + p.name() + " has a " + SourceText.expr(d)
                        + " dim; param shapes must be known at compile time");
            }
            Val v = ConstEvaluator.eval(d, (name, span) -> f.scope().lookup(name, span));
            if (!(v instanceof Val.Int i)) {
                throw new ElabError(ErrorCode.E0306, d.span(), "param " + p.name() + ": dim " + SourceText.expr(d) + " is "
                        + Val.describe(v) + ", not an int");
            }
            if (!i.value().isConstant()) {
                String written = SourceText.expr(d);
                throw new ElabError(ErrorCode.E0306, d.span(), "param " + p.name() + " has shape " + SourceText.type(t)
                        + ", but dim " + written + (written.equals(i.value().toString()) ? "" : " = " + i.value())
                        + " depends on the named dim"
                        + (i.value().variables().size() > 1 ? "s " : " ") + String.join(", ", i.value().variables())
                        + "; param shapes must be known at compile time");
            }
            if (i.value().constant().getAsLong() < 0) {
                throw new ElabError(ErrorCode.E0306, d.span(), "param " + p.name() + ": dim " + SourceText.expr(d) + " = "
                        + i.value() + " is negative");
            }
            shape.add(i.value());
        }
        return new TensorType(dtype, shape);
    }

    private void assign(Stmt.Assign a, Frame f) {
        TopLevel top = new TopLevel(a.targets().size() == 1 ? a.targets().getFirst().name() : null);
        List<Val> values = x.exprs.evaluate(a.value(), f, top);
        if (values.size() == 1 && values.getFirst() == Val.Error.INSTANCE) {
            a.targets().forEach(t -> f.scope().bind(t.name(), Val.Error.INSTANCE));
            return;
        }
        if (values.size() != a.targets().size()) {
            throw new ElabError(ErrorCode.E0309, a.span(), SourceText.expr(a.value()) + " gives " + values.size() + " result"
                    + (values.size() == 1 ? "" : "s") + " but " + a.targets().size() + " name" + (a.targets().size() == 1 ? " is" : "s are")
                    + " assigned");
        }
        for (int i = 0; i < values.size(); i++) f.scope().bind(a.targets().get(i).name(), values.get(i));
        if (!a.annotations().isEmpty()) {
            if (top.instancePath() == null) {
                x.ctx.reportIn(f, Diagnostic.error(ErrorCode.E0505, a.annotations().getFirst().span(),
                        "an annotation on an assignment needs a call or a tensor operator as the whole right-hand side"));
            } else {
                annotate(a.annotations(), top.instancePath(), f);
            }
        }
    }

    private void annotate(List<Annotation> annotations, String target, Frame f) {
        for (Annotation an : annotations) {
            try {
                x.ctx.passes().addAnnotation(an, target, (name, span) -> f.scope().lookup(name, span));
            } catch (ElabError e) {
                x.ctx.reportIn(f, e);
            }
        }
    }

    /**
     * {@code return e1, e2;}: a call with several results counts as several values. The count
     * must match the declared results (E0309) and the types must unify with them (E0301).
     */
    private void ret(Stmt.Return r, Frame f) {
        List<Val> values = new ArrayList<>();
        for (Expr e : r.values()) values.addAll(x.exprs.evaluate(e, f, null));
        if (values.contains(Val.Error.INSTANCE)) {
            f.setReturned(List.of(Val.Error.INSTANCE));
            return;
        }
        List<Decl.Result> declared = f.block().results();
        String owner = (f.block().graph() ? "graph " : "block ") + f.blockName();
        if (values.size() != declared.size()) {
            throw new ElabError(ErrorCode.E0309, r.span(), owner + " returns " + values.size() + " value" + (values.size() == 1 ? "" : "s")
                    + " but declares " + declared.size() + " result" + (declared.size() == 1 ? "" : "s"));
        }
        List<Unifier.Actual> actuals = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            Decl.Result d = declared.get(i);
            String what = "result " + (d.name() != null ? d.name() : Integer.toString(i));
            if (!(values.get(i) instanceof Val.Tensor t)) {
                throw new ElabError(ErrorCode.E0308, r.values().size() == values.size() ? r.values().get(i).span() : r.span(),
                        what + " of " + owner + " must be a tensor, got " + Val.describe(values.get(i)));
            }
            actuals.add(new Unifier.Actual(what, d.type(), t.value().type()));
        }
        f.unifier().checkResults(actuals, r.span());
        f.setReturned(values);
    }

    /** {@code repeat i in a..b}: half-open, unrolled, {@code i} a compile-time int visible only inside. */
    private void repeat(Stmt.Repeat r, Frame f) {
        long from = constantInt(r.from(), f, "repeat start");
        long to = constantInt(r.to(), f, "repeat end");
        long n = Math.max(0, to - from);
        x.ctx.reserveIterations(n, r.span());
        Val previous = f.scope().local(r.variable());
        try {
            for (long i = from; i < to && !f.hasReturned(); i++) {
                f.scope().bind(r.variable(), Val.Int.of(i));
                executeBody(r.body(), f);
            }
        } finally {
            f.scope().restore(r.variable(), previous);
        }
    }

    /** {@code assert cond : "message {x}";} fails with E0310 and the interpolated message. */
    private void check(Stmt.Assert a, Frame f) {
        if (condition(a.condition(), f, "assert")) return;
        String message = a.message() == null ? SourceText.expr(a.condition())
                : Interpolator.interpolate(a.message().value(), a.message().span(), (name, span) -> f.scope().lookup(name, span));
        throw new ElabError(ErrorCode.E0310, a.span(), "assertion failed: " + message);
    }

    private boolean condition(Expr e, Frame f, String what) {
        Val v = x.exprs.single(e, f);
        if (v instanceof Val.Bool b) return b.value();
        if (v == Val.Error.INSTANCE) throw ElabError.suppressed();
        throw new ElabError(ErrorCode.E0308, e.span(), what + " needs a compile-time bool, got " + Val.describe(v));
    }

    private long constantInt(Expr e, Frame f, String what) {
        Val v = x.exprs.single(e, f);
        if (v == Val.Error.INSTANCE) throw ElabError.suppressed();
        if (v instanceof Val.Int i && i.value().isConstant()) return i.value().constant().getAsLong();
        throw new ElabError(ErrorCode.E0308, e.span(), what + " must be a constant int, got " + Val.describe(v));
    }

    /** Binds what a failed statement would have bound to the error marker. */
    private static void poison(Stmt s, Frame f) {
        switch (s) {
            case Stmt.Param p -> f.scope().bind(p.name(), Val.Error.INSTANCE);
            case Stmt.Assign a -> a.targets().forEach(t -> f.scope().bind(t.name(), Val.Error.INSTANCE));
            case Stmt.Return r -> f.setReturned(List.of(Val.Error.INSTANCE));
            case Stmt.Repeat r -> assignedIn(r.body()).forEach(n -> f.scope().bind(n, Val.Error.INSTANCE));
            case Stmt.If i -> {
                assignedIn(i.then()).forEach(n -> f.scope().bind(n, Val.Error.INSTANCE));
                assignedIn(i.orElse()).forEach(n -> f.scope().bind(n, Val.Error.INSTANCE));
                if (returnsIn(i.then()) || returnsIn(i.orElse())) f.setReturned(List.of(Val.Error.INSTANCE));
            }
            case Stmt.Assert a -> { }
        }
    }

    private static Set<String> assignedIn(List<Stmt> body) {
        Set<String> out = new LinkedHashSet<>();
        for (Stmt s : body) {
            switch (s) {
                case Stmt.Param p -> out.add(p.name());
                case Stmt.Assign a -> a.targets().forEach(t -> out.add(t.name()));
                case Stmt.Repeat r -> out.addAll(assignedIn(r.body()));
                case Stmt.If i -> {
                    out.addAll(assignedIn(i.then()));
                    out.addAll(assignedIn(i.orElse()));
                }
                default -> { }
            }
        }
        return out;
    }

    private static boolean returnsIn(List<Stmt> body) {
        for (Stmt s : body) {
            boolean r = switch (s) {
                case Stmt.Return ret -> true;
                case Stmt.Repeat rep -> returnsIn(rep.body());
                case Stmt.If i -> returnsIn(i.then()) || returnsIn(i.orElse());
                default -> false;
            };
            if (r) return true;
        }
        return false;
    }
}
