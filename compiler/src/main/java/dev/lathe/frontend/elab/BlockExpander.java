package dev.lathe.frontend.elab;

import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.ErrorCode;
import dev.lathe.diag.SourceSpan;
import dev.lathe.frontend.ast.Decl;
import dev.lathe.frontend.ast.TypeRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Expands a block call inline: evaluates its attributes (given or default), unifies its inputs
 * with the signature, runs the body in a new scope of the block's own module, and hands back what
 * it returned (checked against the declared results by the {@code return} statement). Decisions:
 * block instances nested deeper than the limit are E0702 (a recursive block); a block's optional
 * input or attribute that is not given is absent in the body; variadic inputs are for primitives
 * only (E0209); a compile-time value given for a block's tensor input is E0207.
 */
final class BlockExpander {
    private final Expander x;

    BlockExpander(Expander x) {
        this.x = x;
    }

    List<Val> expand(LoadedModule.Resolved callee, Map<String, CallBinder.BoundArg> bound, Frame caller, SourceSpan span, String path) {
        Decl.Block block = callee.block();
        LoadedModule module = callee.module();
        if (caller.depth() + 1 > x.ctx.limits().maxDepth()) {
            throw new ElabError(ErrorCode.E0702, span, "block instances are nested more than " + x.ctx.limits().maxDepth()
                    + " deep at " + block.name() + " (instance " + path + "); is the block recursive?");
        }
        Map<String, Val> attributes = new LinkedHashMap<>();
        for (Decl.SigParam p : block.params()) {
            if (!(p.type() instanceof TypeRef.Attribute type)) continue;
            CallBinder.BoundArg arg = bound.get(p.name());
            Val v = arg != null ? AttributeValues.check(block.name(), p.name(), type, arg.value(), arg.span())
                    : p.defaultValue() != null
                            ? AttributeValues.check(block.name(), p.name(), type, Defaults.evaluate(p, module, attributes), p.defaultValue().span())
                            : new Val.Absent(p.name());
            attributes.put(p.name(), v);
        }
        Map<String, Val> inputs = new LinkedHashMap<>();
        List<Unifier.Actual> actuals = new ArrayList<>();
        for (Decl.SigParam p : block.params()) {
            if (!(p.type() instanceof TypeRef.Tensor type)) continue;
            if (p.variadic()) throw new ElabError(ErrorCode.E0209, p.span(), "variadic input " + p.name()
                    + ": only primitive ops take variadic inputs");
            CallBinder.BoundArg arg = bound.get(p.name());
            Val v = arg == null ? new Val.Absent(p.name()) : arg.value();
            switch (v) {
                case Val.Tensor t -> actuals.add(new Unifier.Actual("argument " + p.name(), type, t.value().type()));
                case Val.Absent a when p.optional() -> { }
                case Val.Absent a -> throw PrimitiveCalls.absent(a, "input " + p.name() + " of " + block.name(), arg.span());
                default -> throw new ElabError(ErrorCode.E0207, arg.span(), "input " + p.name() + " of " + block.name()
                        + " expects a tensor " + SourceText.type(type) + ", got " + Val.describe(v));
            }
            inputs.put(p.name(), v);
        }
        Unifier unifier = new Unifier(block.name(), module, attributes, true);
        unifier.unifyInputs(actuals, span);

        Scope scope = new Scope(module);
        unifier.bindings().forEach((name, dim) -> scope.bind(name, new Val.Int(dim)));
        attributes.forEach(scope::bind);
        inputs.forEach(scope::bind);
        Frame frame = new Frame(block, scope, unifier, path, span, caller);
        x.statements.executeBody(block.body(), frame);
        if (!frame.hasReturned()) {
            if (block.results().isEmpty()) return List.of();
            x.ctx.reportIn(frame, Diagnostic.error(ErrorCode.E0309, block.span(), "block " + block.name()
                    + " ends without return; it declares " + block.results().size() + " result" + (block.results().size() == 1 ? "" : "s")));
            return List.of(Val.Error.INSTANCE);
        }
        return frame.returned();
    }
}
