package dev.lathe.ir;

/**
 * An SSA value: defined exactly once (graph input, param, or node output), identified by
 * {@code id} within its graph. {@code hint} is a readable name for the printer (the source
 * variable it was assigned to), not part of identity.
 */
public record Value(int id, TensorType type, String hint) {
    public Value {
        java.util.Objects.requireNonNull(type, "type");
        if (hint == null) hint = "";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Value v && v.id == id && v.type.equals(type);
    }

    @Override
    public int hashCode() {
        return id;
    }

    /** {@code %12} as printed in the textual IR. */
    public String ref() {
        return "%" + id;
    }
}
