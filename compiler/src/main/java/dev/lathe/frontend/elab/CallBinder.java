package dev.lathe.frontend.elab;

import dev.lathe.diag.ErrorCode;
import dev.lathe.diag.SourceSpan;
import dev.lathe.frontend.ast.Decl;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Binds the arguments of a call to the entries of the callee's signature (E0207 for every
 * mismatch). Positional arguments fill entries in signature order, inputs and attributes alike,
 * and must come before named ones; a variadic entry ({@code xs...}) absorbs consecutive positional
 * tensor arguments and the first non-tensor moves on to the next entry. A named argument names an
 * entry. Missing entries are fine when optional, defaulted or variadic.
 */
final class CallBinder {
    private CallBinder() {}

    /** One evaluated argument as written. */
    record Given(String name, Val value, SourceSpan span) {}

    /** A bound entry: its value (a {@link Val.ListV} of tensors for a variadic entry) and where it was written. */
    record BoundArg(Val value, SourceSpan span) {}

    /** Entry name to bound argument, in signature order; unbound entries are absent. */
    static Map<String, BoundArg> bind(Decl.Block callee, List<Given> args, SourceSpan callSpan) {
        List<Decl.SigParam> sig = callee.params();
        Map<String, BoundArg> bound = new LinkedHashMap<>();
        Map<String, List<Val>> variadic = new LinkedHashMap<>();
        int entry = 0;
        boolean sawNamed = false;
        for (Given g : args) {
            if (g.name() != null) {
                sawNamed = true;
                continue;
            }
            if (sawNamed) throw new ElabError(ErrorCode.E0207, g.span(), "positional argument after named arguments in call of "
                    + callee.name());
            while (entry < sig.size() && sig.get(entry).variadic() && !isTensorLike(g.value())) entry++;
            if (entry >= sig.size()) {
                throw new ElabError(ErrorCode.E0207, g.span(), callee.name() + " takes at most " + sig.size()
                        + " arguments, more were given: " + signature(callee));
            }
            Decl.SigParam p = sig.get(entry);
            if (p.variadic()) {
                variadic.computeIfAbsent(p.name(), n -> new ArrayList<>()).add(g.value());
                // Holds the place and the span of the first value; the list replaces it below.
                bound.putIfAbsent(p.name(), new BoundArg(new Val.ListV(List.of()), g.span()));
            } else {
                bound.put(p.name(), new BoundArg(g.value(), g.span()));
                entry++;
            }
        }
        for (Given g : args) {
            if (g.name() == null) continue;
            Decl.SigParam p = sig.stream().filter(s -> s.name().equals(g.name())).findFirst().orElseThrow(() ->
                    new ElabError(ErrorCode.E0207, g.span(), callee.name() + " has no argument " + g.name() + "; its arguments are "
                            + sig.stream().map(Decl.SigParam::name).collect(Collectors.joining(", "))
                            + NameSuggestions.didYouMean(g.name(), sig.stream().map(Decl.SigParam::name).toList())));
            if (bound.containsKey(p.name())) {
                throw new ElabError(ErrorCode.E0207, g.span(), "argument " + p.name() + " of " + callee.name() + " is given twice");
            }
            if (p.variadic()) variadic.computeIfAbsent(p.name(), n -> new ArrayList<>()).add(g.value());
            bound.put(p.name(), new BoundArg(g.value(), g.span()));
        }
        variadic.forEach((name, values) -> bound.put(name, new BoundArg(new Val.ListV(values), bound.get(name).span())));
        for (Decl.SigParam p : sig) {
            if (!bound.containsKey(p.name()) && !p.optional() && !p.variadic() && p.defaultValue() == null) {
                throw new ElabError(ErrorCode.E0207, callSpan, "missing argument " + p.name() + ": " + SourceText.type(p.type())
                        + " in call of " + callee.name() + " (" + signature(callee) + ")");
            }
        }
        Map<String, BoundArg> ordered = new LinkedHashMap<>();
        for (Decl.SigParam p : sig) {
            if (bound.containsKey(p.name())) ordered.put(p.name(), bound.get(p.name()));
        }
        return ordered;
    }

    /** Values a variadic tensor entry takes: tensors, and the error marker that stands for one. */
    private static boolean isTensorLike(Val v) {
        return v instanceof Val.Tensor || v == Val.Error.INSTANCE;
    }

    /** {@code Linear(x: f32[..., I], out: int, bias: bool = true)} for messages. */
    static String signature(Decl.Block b) {
        return b.name() + b.params().stream().map(p -> p.name() + (p.variadic() ? "..." : "") + (p.optional() ? "?" : "") + ": "
                + SourceText.type(p.type()) + (p.defaultValue() != null ? " = " + SourceText.expr(p.defaultValue()) : ""))
                .collect(Collectors.joining(", ", "(", ")"));
    }
}
