package dev.lathe.frontend.elab;

import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.ErrorCode;
import dev.lathe.frontend.ast.Decl;
import dev.lathe.frontend.ast.Expr;
import dev.lathe.frontend.ast.TypeRef;
import dev.lathe.ir.Dim;
import dev.lathe.ir.DimBounds;
import dev.lathe.ir.Graph;
import dev.lathe.ir.Provenance;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.runtime.DType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Elaborates the selected graph: its inputs become graph inputs, its body is run like a block
 * body at the empty instance path, and what it returns becomes the outputs. Decisions: a graph
 * input's dims are consts, declared dims or {@code ?}, which becomes a fresh unbounded dim named
 * {@code <input>.<axis>} ({@code x.1}); graph attributes take their default (one without a
 * default is E0207); optional and variadic graph inputs are E0209; outputs are named by the
 * declared result names, else {@code output} for one result and {@code output0},
 * {@code output1}, ... for several.
 */
final class GraphElaborator {
    private GraphElaborator() {}

    /** The built graph, or null when errors were reported. */
    static Graph elaborate(Decl.Block graph, LoadedModule module, Expander x) {
        ElabContext ctx = x.ctx;
        Scope scope = new Scope(module);
        Map<String, Val> attributes = new LinkedHashMap<>();
        for (Decl.SigParam p : graph.params()) {
            try {
                switch (p.type()) {
                    case TypeRef.Tensor t -> {
                        if (p.optional() || p.variadic()) {
                            throw new ElabError(ErrorCode.E0209, p.span(), "graph input " + p.name() + " cannot be optional or variadic");
                        }
                        TensorType type = inputType(p.name(), t, scope, ctx);
                        scope.bind(p.name(), new Val.Tensor(ctx.builder().input(p.name(), type, new Provenance(p.span(), p.name()))));
                    }
                    case TypeRef.Attribute a -> {
                        if (p.defaultValue() == null) {
                            throw new ElabError(ErrorCode.E0207, p.span(), "graph attribute " + p.name() + " needs a default value");
                        }
                        Val v = AttributeValues.check(graph.name(), p.name(), a, Defaults.evaluate(p, module, attributes), p.defaultValue().span());
                        attributes.put(p.name(), v);
                        scope.bind(p.name(), v);
                    }
                }
            } catch (ElabError e) {
                ctx.report(e);
                scope.bind(p.name(), Val.Error.INSTANCE);
            }
        }
        Unifier unifier = new Unifier(graph.name(), module, attributes, false);
        Frame frame = new Frame(graph, scope, unifier, "", graph.span(), null);
        x.statements.executeBody(graph.body(), frame);
        if (!frame.hasReturned()) {
            ctx.report(Diagnostic.error(ErrorCode.E0309, graph.span(), "graph " + graph.name() + " ends without return"));
            return null;
        }
        List<Value> outputs = new ArrayList<>();
        for (Val v : frame.returned()) {
            if (!(v instanceof Val.Tensor t)) return null;
            outputs.add(t.value());
        }
        if (ctx.hasErrors()) return null;
        return ctx.builder().build(outputs, outputNames(graph));
    }

    private static TensorType inputType(String input, TypeRef.Tensor t, Scope scope, ElabContext ctx) {
        DType dtype = DType.fromSourceName(t.elementType()).orElseThrow(() -> new ElabError(ErrorCode.E0302, t.span(),
                "graph input " + input + ": " + t.elementType() + " is not an element type"));
        List<Dim> shape = new ArrayList<>();
        for (int axis = 0; axis < t.dims().size(); axis++) {
            Expr d = t.dims().get(axis);
            if (d instanceof Expr.UnknownDim) {
                String name = input + "." + axis;
                ctx.declareDim(name, DimBounds.UNBOUNDED, d.span());
                shape.add(Dim.var(name));
                continue;
            }
            if (d instanceof Expr.Ellipsis) {
                throw new ElabError(ErrorCode.E0308, d.span(), "graph input " + input + ": ... is only allowed in block signatures");
            }
            Val v = ConstEvaluator.eval(d, scope::lookup);
            if (v == Val.Error.INSTANCE) throw ElabError.suppressed();
            if (!(v instanceof Val.Int i)) {
                throw new ElabError(ErrorCode.E0308, d.span(), "graph input " + input + ": dim " + SourceText.expr(d) + " is "
                        + Val.describe(v) + ", not an int");
            }
            shape.add(i.value());
        }
        return new TensorType(dtype, shape);
    }

    static List<String> outputNames(Decl.Block graph) {
        List<Decl.Result> results = graph.results();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            String declared = results.get(i).name();
            names.add(declared != null ? declared : results.size() == 1 ? "output" : "output" + i);
        }
        return names;
    }
}
