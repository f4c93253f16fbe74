package dev.lathe.frontend.ast;

import dev.lathe.diag.SourceSpan;
import java.util.List;

/** {@code @lowrank(rank = 8)} before a param or an assignment: adds that pass on that target. */
public record Annotation(SourceSpan span, String name, List<Arg> args) implements Node {
    public Annotation { args = List.copyOf(args); }
}
