package dev.lathe.weights;

import dev.lathe.diag.Diagnostic;
import dev.lathe.ir.Graph;
import java.util.List;
import java.util.Objects;

/** A graph with every param's data set, and the warnings binding gave (unused keys when lenient). */
public record BindResult(Graph bound, List<Diagnostic> warnings) {
    public BindResult {
        Objects.requireNonNull(bound, "bound");
        warnings = List.copyOf(warnings);
    }
}
