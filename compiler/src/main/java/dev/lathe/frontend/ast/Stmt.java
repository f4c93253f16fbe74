package dev.lathe.frontend.ast;

import dev.lathe.diag.SourceSpan;
import java.util.List;

/** Statements in block and graph bodies. {@code doc} is the joined {@code ///} text before it, or null. */
public sealed interface Stmt extends Node {

    /** {@code param w: f32[out, I] if bias;} ({@code condition} null when unconditional). */
    record Param(SourceSpan span, String doc, List<Annotation> annotations, String name, TypeRef.Tensor type, Expr condition) implements Stmt {
        public Param { annotations = List.copyOf(annotations); }
    }

    /** {@code a = e;} or {@code a, b = split(...);}. */
    record Assign(SourceSpan span, String doc, List<Annotation> annotations, List<Target> targets, Expr value) implements Stmt {
        public Assign {
            annotations = List.copyOf(annotations);
            targets = List.copyOf(targets);
        }
    }

    record Target(SourceSpan span, String name) implements Node {}

    record Return(SourceSpan span, List<Expr> values) implements Stmt {
        public Return { values = List.copyOf(values); }
    }

    /** {@code repeat i in from..to { body }}, half-open, unrolled at compile time. */
    record Repeat(SourceSpan span, String variable, Expr from, Expr to, List<Stmt> body) implements Stmt {
        public Repeat { body = List.copyOf(body); }
    }

    /** {@code if c { } else { }}; an {@code else if} is an {@code If} alone in {@code orElse}. */
    record If(SourceSpan span, Expr condition, List<Stmt> then, List<Stmt> orElse) implements Stmt {
        public If {
            then = List.copyOf(then);
            orElse = List.copyOf(orElse);
        }
    }

    /** {@code assert c : "message {x}";} ({@code message} may be null). */
    record Assert(SourceSpan span, Expr condition, Expr.StringLit message) implements Stmt {}
}
