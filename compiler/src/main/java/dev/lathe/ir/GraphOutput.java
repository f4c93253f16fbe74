package dev.lathe.ir;

import java.util.Objects;

/** A result of a graph, by its name (the name in the graph's signature). */
public record GraphOutput(String name, Value value) {
    public GraphOutput {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
