package dev.lathe.ir;

import java.util.Objects;

/** A run-time input of a graph, by its source name. */
public record GraphInput(String name, Value value, Provenance provenance) {
    public GraphInput {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(provenance, "provenance");
    }
}
