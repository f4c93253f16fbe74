package dev.lathe.frontend.elab;

import dev.lathe.diag.ErrorCode;
import dev.lathe.frontend.ast.Arg;
import dev.lathe.frontend.ast.Expr;
import dev.lathe.runtime.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A call: resolves the callee (a block of this module, an imported or alias-qualified block, or a
 * std.ops primitive; unknown is E0206 with the closest names), evaluates and binds the arguments,
 * names the instance, and emits the op or expands the block. Decision: in argument position a
 * bare element-type name that is not otherwise bound ({@code cast(x, dtype = f16)}) is the string
 * {@code "f16"}.
 */
final class CallExpander {
    private final Expander x;

    CallExpander(Expander x) {
        this.x = x;
    }

    List<Val> call(Expr.Call c, Frame f, TopLevel top) {
        LoadedModule.Resolved callee = f.module().resolveBlock(c.callee(), c.span()).orElseThrow(() ->
                new ElabError(ErrorCode.E0206, c.span(), "unknown block or op " + c.callee()
                        + NameSuggestions.didYouMean(c.callee(), f.module().visibleBlockNames())));
        if (callee.block().graph()) {
            throw new ElabError(ErrorCode.E0209, c.span(), c.callee() + " is a graph; only blocks and ops can be called");
        }
        String explicit = null;
        if (c.instanceName() != null) {
            explicit = Interpolator.interpolate(c.instanceName().value(), c.instanceName().span(),
                    (name, span) -> f.scope().lookup(name, span));
            InstanceRegistry.checkExplicitName(explicit, c.instanceName().span());
        }
        List<CallBinder.Given> given = new ArrayList<>();
        for (Arg a : c.args()) given.add(new CallBinder.Given(a.name(), argument(a, f), a.span()));
        Map<String, CallBinder.BoundArg> bound = CallBinder.bind(callee.block(), given, c.span());

        String name = callee.block().name();
        String automatic = InstanceRegistry.automaticName(f, name, top == null ? null : top.assignedName());
        if (bound.values().stream().anyMatch(b -> containsError(b.value()))) return List.of(Val.Error.INSTANCE);
        String local = explicit != null ? explicit : automatic;
        if (callee.block().isPrimitive()) {
            String path = x.ctx.instances().registerOp(f, local, explicit != null, name, c.span());
            if (top != null) top.setInstancePath(path);
            return x.primitives.call(callee.block(), callee.module(), bound, c.span(), path);
        }
        String path = x.ctx.instances().registerBlock(f, local, name, c.span());
        if (top != null) top.setInstancePath(path);
        return x.blocks.expand(callee, bound, f, c.span(), path);
    }

    private Val argument(Arg a, Frame f) {
        if (a.value() instanceof Expr.Name n && DType.fromSourceName(n.name()).isPresent()
                && f.scope().find(n.name(), n.span()).isEmpty()) {
            return new Val.Str(n.name());
        }
        return x.exprs.single(a.value(), f);
    }

    private static boolean containsError(Val v) {
        return v == Val.Error.INSTANCE || v instanceof Val.ListV l && l.elements().stream().anyMatch(CallExpander::containsError);
    }
}
