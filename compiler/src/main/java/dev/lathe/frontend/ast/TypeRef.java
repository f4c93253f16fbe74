package dev.lathe.frontend.ast;

import dev.lathe.diag.SourceSpan;
import java.util.List;

/** A type as written in a signature, a param or a result. */
public sealed interface TypeRef extends Node {

    /**
     * {@code f32[B, 2 * S, ?]}. {@code elementType} is a dtype name ({@code f32}) or, in std.ops
     * signatures, a type variable such as {@code T}. Dims are dim expressions, {@link Expr.UnknownDim}
     * or a leading {@link Expr.Ellipsis}. {@code f32[]} is a rank-0 tensor.
     */
    record Tensor(SourceSpan span, String elementType, List<Expr> dims) implements TypeRef {
        public Tensor { dims = List.copyOf(dims); }
    }

    /** A compile-time attribute type: {@code int}, {@code float}, {@code bool}, {@code string}, or a list of one ({@code int[]}). */
    record Attribute(SourceSpan span, AttributeKind kind, boolean list) implements TypeRef {}

    enum AttributeKind {
        INT, FLOAT, BOOL, STRING;

        public String sourceName() { return name().toLowerCase(java.util.Locale.ROOT); }
    }
}
