package dev.lathe.frontend.ast;

import dev.lathe.diag.SourceSpan;

/** A call, annotation or pass argument: positional when {@code name} is null, else {@code name = value}. */
public record Arg(SourceSpan span, String name, Expr value) implements Node {
    public boolean isNamed() { return name != null; }
}
