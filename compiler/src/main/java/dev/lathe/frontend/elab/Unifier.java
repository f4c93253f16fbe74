package dev.lathe.frontend.elab;

import dev.lathe.diag.ErrorCode;
import dev.lathe.diag.SourceSpan;
import dev.lathe.frontend.ast.Expr;
import dev.lathe.frontend.ast.TypeRef;
import dev.lathe.ir.Dim;
import dev.lathe.ir.TensorType;
import dev.lathe.runtime.DType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Matches a block signature against the types of one call (LANGUAGE.md §4) and, after the body
 * ran, the declared results against what it returned.
 * <ul>
 *   <li>A name in a dim position that is not a const or dim of the block's module nor one of its
 *       attributes is a pattern variable, bound at each call.</li>
 *   <li>{@code ...} (first dim only) stands for any number of leading dims. Its first use binds
 *       it; every later use, inputs and results alike, must stand for the same dims (E0301).</li>
 *   <li>A dim with exactly one unbound variable that it depends on linearly ({@code 2 * I},
 *       {@code I + 1}, {@code B * I}) is solved with exact division ({@code 2 * I} against 256 gives
 *       {@code I = 128}, against {@code 2 * S} gives {@code I = S}); a constant without solution is
 *       E0304. Dims are solved in rounds, so {@code f32[2 * I]} may come before the input binding
 *       {@code I}; dims left with several unknowns are E0304. Other dims are evaluated and compared
 *       (E0301). {@code ?} matches anything.</li>
 *   <li>An element type that is a dtype name must match exactly (E0302); another name
 *       ({@code T}) is a type variable bound by its first use.</li>
 *   <li>A rank mismatch is E0301. Every message shows the signature type and the actual type as
 *       written, plus the values of the names involved.</li>
 * </ul>
 */
final class Unifier {
    private static final String SOLVING = "?solving?";

    private final String callee;
    private final LoadedModule module;
    private final Map<String, Val> attributes;
    private final boolean patternVariables;
    private final Map<String, Dim> bindings = new LinkedHashMap<>();
    private final Map<String, DType> typeVars = new LinkedHashMap<>();
    private List<Dim> ellipsis;

    /**
     * {@code patternVariables} is false for a graph, whose signature names must all be consts or
     * dims (E0201 otherwise).
     */
    Unifier(String callee, LoadedModule module, Map<String, Val> attributes, boolean patternVariables) {
        this.callee = callee;
        this.module = module;
        this.attributes = attributes;
        this.patternVariables = patternVariables;
    }

    /** One type to match: {@code what} names it in messages ({@code argument x}, {@code result 0}). */
    record Actual(String what, TypeRef.Tensor pattern, TensorType type) {}

    /** Pattern variables bound so far, in binding order. */
    Map<String, Dim> bindings() {
        return Collections.unmodifiableMap(bindings);
    }

    Optional<DType> typeVariable(String name) {
        return Optional.ofNullable(typeVars.get(name));
    }

    /** Matches the inputs of a call; errors are reported at {@code span} (the call). */
    void unifyInputs(List<Actual> inputs, SourceSpan span) {
        unify(inputs, span, "the signature's");
    }

    /** Checks what a block returned against its declared results; errors at {@code span} (the return). */
    void checkResults(List<Actual> results, SourceSpan span) {
        unify(results, span, "the declared");
    }

    private void unify(List<Actual> actuals, SourceSpan span, String declared) {
        List<Pending> pending = new ArrayList<>();
        for (Actual a : actuals) {
            unifyElementType(a, span, declared);
            List<Expr> dims = a.pattern().dims();
            boolean open = !dims.isEmpty() && dims.getFirst() instanceof Expr.Ellipsis;
            int fixed = dims.size() - (open ? 1 : 0);
            int rank = a.type().rank();
            if (open ? rank < fixed : rank != fixed) {
                throw mismatch(ErrorCode.E0301, a, span, declared, "rank " + rank + ", expected " + (open ? "at least " : "") + fixed);
            }
            int lead = rank - fixed;
            if (open) {
                List<Dim> leading = a.type().shape().subList(0, lead);
                if (ellipsis == null) {
                    ellipsis = List.copyOf(leading);
                } else if (!ellipsis.equals(leading)) {
                    throw mismatch(ErrorCode.E0301, a, span, declared, "... stands for " + dims(leading) + " here but for "
                            + dims(ellipsis) + " earlier in the call");
                }
            }
            for (int i = 0; i < fixed; i++) {
                Expr d = dims.get(i + (open ? 1 : 0));
                if (d instanceof Expr.Ellipsis) {
                    throw new ElabError(ErrorCode.E0308, d.span(), "... is only allowed as the first dim");
                }
                if (!(d instanceof Expr.UnknownDim)) pending.add(new Pending(a, d, lead + i));
            }
        }
        // Each round settles every dim with at most one unknown; a binding may unlock others.
        while (!pending.isEmpty()) {
            boolean progress = false;
            for (var it = pending.iterator(); it.hasNext(); ) {
                Pending p = it.next();
                Set<String> unknown = unknowns(p.dim());
                if (unknown.size() > 1) continue;
                Dim actual = p.actual().type().shape().get(p.axis());
                if (unknown.isEmpty()) {
                    Dim expected = evaluate(p.dim());
                    if (!expected.equals(actual)) {
                        throw mismatch(ErrorCode.E0301, p.actual(), span, declared, "dim " + p.axis() + " is " + actual + ", expected "
                                + explain(p.dim(), expected));
                    }
                } else {
                    solve(unknown.iterator().next(), p, actual, span, declared);
                }
                it.remove();
                progress = true;
            }
            if (!progress) {
                Pending p = pending.getFirst();
                throw mismatch(ErrorCode.E0304, p.actual(), span, declared, "cannot infer " + String.join(" and ", unknowns(p.dim()))
                        + " from dim " + p.axis() + " = " + p.actual().type().shape().get(p.axis()) + " alone");
            }
        }
    }

    private record Pending(Actual actual, Expr dim, int axis) {}

    private void unifyElementType(Actual a, SourceSpan span, String declared) {
        String written = a.pattern().elementType();
        DType actual = a.type().dtype();
        Optional<DType> concrete = DType.fromSourceName(written);
        if (concrete.isPresent()) {
            if (concrete.get() != actual) throw mismatch(ErrorCode.E0302, a, span, declared, "element type " + actual.sourceName()
                    + ", expected " + written);
            return;
        }
        DType bound = typeVars.putIfAbsent(written, actual);
        if (bound != null && bound != actual) {
            throw mismatch(ErrorCode.E0302, a, span, declared, "element type " + actual.sourceName() + ", but " + written + " = "
                    + bound.sourceName() + " earlier in the call");
        }
    }

    /**
     * Solves {@code dim(v) = actual} for the one unknown {@code v} when {@code dim} is linear in it:
     * {@code dim(v) = a * v + c} with {@code a} and {@code c} read off at {@code v = 0} and {@code v = 1}.
     */
    private void solve(String v, Pending p, Dim actual, SourceSpan span, String declared) {
        Dim shape = evaluateWith(p.dim(), v, Dim.var(SOLVING));
        Dim c = shape.substitute(Map.of(SOLVING, Dim.of(0)));
        Dim a = shape.substitute(Map.of(SOLVING, Dim.of(1))).minus(c);
        if (a.isZero() || !a.times(Dim.var(SOLVING)).plus(c).equals(shape) || a.variables().contains(SOLVING)) {
            throw mismatch(ErrorCode.E0304, p.actual(), span, declared, "cannot infer " + v + " from dim " + p.axis() + " = "
                    + actual + ": " + SourceText.expr(p.dim()) + " is not linear in " + v);
        }
        Dim rest = actual.minus(c);
        Optional<Dim> solution = rest.divideExactly(a);
        if (solution.isEmpty() && !(rest.isConstant() && a.isConstant())) solution = rest.divExact(a);
        if (solution.isEmpty() || (solution.get().isConstant() && solution.get().constant().getAsLong() < 0)) {
            throw mismatch(ErrorCode.E0304, p.actual(), span, declared, "no size " + v + " gives " + SourceText.expr(p.dim())
                    + " = " + actual + " (dim " + p.axis() + ")");
        }
        bindings.put(v, solution.get());
    }

    private Dim evaluate(Expr dim) {
        return evaluateWith(dim, null, null);
    }

    private Dim evaluateWith(Expr dim, String unknown, Dim as) {
        Val v = ConstEvaluator.eval(dim, (name, at) -> {
            if (name.equals(unknown)) return new Val.Int(as);
            return find(name, at).orElseThrow(() -> new ElabError(ErrorCode.E0201, at, "undefined name " + name));
        });
        if (v instanceof Val.Int i) return i.value();
        throw new ElabError(ErrorCode.E0308, dim.span(), "dim " + SourceText.expr(dim) + " is " + Val.describe(v) + ", not an int");
    }

    private Optional<Val> find(String name, SourceSpan span) {
        Dim bound = bindings.get(name);
        if (bound != null) return Optional.of(new Val.Int(bound));
        if (name.indexOf('.') < 0 && attributes.containsKey(name)) return Optional.of(attributes.get(name));
        return module.resolveGlobal(name, span);
    }

    /** Names in a dim expression that are neither bound, attributes, nor module consts or dims. */
    private Set<String> unknowns(Expr dim) {
        Set<String> out = new LinkedHashSet<>();
        collectUnknowns(dim, out);
        return out;
    }

    private void collectUnknowns(Expr e, Set<String> out) {
        switch (e) {
            case Expr.Name n -> {
                // A qualified name is never a pattern variable: it must resolve (E0201 otherwise).
                if (n.name().indexOf('.') < 0 && find(n.name(), n.span()).isEmpty()) {
                    if (!patternVariables) throw new Scope(module).undefined(n.name(), n.span());
                    out.add(n.name());
                }
            }
            case Expr.Binary b -> {
                collectUnknowns(b.left(), out);
                collectUnknowns(b.right(), out);
            }
            case Expr.Unary u -> collectUnknowns(u.operand(), out);
            case Expr.ListLit l -> l.elements().forEach(x -> collectUnknowns(x, out));
            default -> { }
        }
    }

    /** {@code D = 256}, or just {@code 256} when the dim was written as its value. */
    private String explain(Expr dim, Dim value) {
        String written = SourceText.expr(dim);
        return written.equals(value.toString()) ? written : written + " = " + value;
    }

    private ElabError mismatch(ErrorCode code, Actual a, SourceSpan span, String declared, String detail) {
        return new ElabError(code, span, a.what() + " of " + callee + " is " + a.type() + ", which does not match "
                + declared + " " + SourceText.type(a.pattern()) + ": " + detail);
    }

    private static String dims(List<Dim> ds) {
        return ds.stream().map(Dim::toString).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }
}
