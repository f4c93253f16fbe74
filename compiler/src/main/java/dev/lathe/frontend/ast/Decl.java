package dev.lathe.frontend.ast;

import dev.lathe.diag.SourceSpan;
import java.util.List;

/** Top-level declarations, in source order. {@code doc} is the joined {@code ///} text before it, or null. */
public sealed interface Decl extends Node {

    /**
     * {@code import std.nn.*;} (module, wildcard), {@code import std.nn as nn;} (module, alias),
     * {@code import "../x.model" as x;} (path, alias) or {@code import "../x.model";} (path, all names).
     * Exactly one of {@code module} and {@code path} is non-null; {@code alias} may be null.
     */
    record Import(SourceSpan span, String module, String path, String alias, boolean wildcard) implements Decl {}

    record Dims(SourceSpan span, String doc, List<DimDef> dims) implements Decl {
        public Dims { dims = List.copyOf(dims); }
    }

    /** {@code B in lo..hi}; both bounds null when unbounded. */
    record DimDef(SourceSpan span, String name, Expr lo, Expr hi) implements Node {}

    record Consts(SourceSpan span, String doc, List<ConstDef> consts) implements Decl {
        public Consts { consts = List.copyOf(consts); }
    }

    record ConstDef(SourceSpan span, String name, Expr value) implements Node {}

    record Weights(SourceSpan span, String path, boolean lenient, List<RenameRule> renames) implements Decl {
        public Weights { renames = List.copyOf(renames); }
    }

    /** {@code rename "layers.{i}." -> "blk.{i}.";} */
    record RenameRule(SourceSpan span, String from, String to) implements Node {}

    /**
     * A block or a graph. {@code body} is null for a primitive declared without one
     * ({@code block relu(x: T[...]) -> T[...];} in std/ops.model).
     */
    record Block(SourceSpan span, String doc, boolean graph, String name, List<SigParam> params, List<Result> results,
                 List<Stmt> body) implements Decl {
        public Block {
            params = List.copyOf(params);
            results = List.copyOf(results);
            body = body == null ? null : List.copyOf(body);
        }

        public boolean isPrimitive() { return body == null; }
    }

    /**
     * A signature entry: a tensor input ({@code x: f32[B, D]}, {@code b?: f32[out]} when optional,
     * {@code xs...: T[...]} when variadic) or an attribute ({@code out: int}, {@code eps: float = 1e-5}).
     */
    record SigParam(SourceSpan span, String name, TypeRef type, Expr defaultValue, boolean optional, boolean variadic)
            implements Node {}

    /** A result: {@code f32[B, D]} or, in a list, {@code y: f32[B, C]} ({@code name} null when unnamed). */
    record Result(SourceSpan span, String name, TypeRef.Tensor type) implements Node {}

    record Passes(SourceSpan span, List<PassStmt> statements) implements Decl {
        public Passes { statements = List.copyOf(statements); }
    }

    /** {@code lowrank(energy = 0.95) on "blk.*.weight", "head.weight";} */
    record PassStmt(SourceSpan span, String pass, List<Arg> args, List<Expr.StringLit> selectors) implements Node {
        public PassStmt {
            args = List.copyOf(args);
            selectors = List.copyOf(selectors);
        }
    }
}
