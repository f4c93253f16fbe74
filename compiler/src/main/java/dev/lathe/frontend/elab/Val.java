package dev.lathe.frontend.elab;

import dev.lathe.ir.Dim;
import dev.lathe.ir.Value;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a name or an expression denotes during elaboration: a compile-time value (int, float,
 * bool, string, list), a tensor in the graph being built, the absence of a conditional param, or
 * the error marker. Ints are {@link Dim}s so that arithmetic on named dims stays symbolic.
 */
sealed interface Val {

    /** An integer, constant ({@code 256}) or symbolic ({@code 2 * S}). */
    record Int(Dim value) implements Val {
        static Int of(long v) { return new Int(Dim.of(v)); }
    }

    record Float(double value) implements Val {}

    record Bool(boolean value) implements Val {}

    record Str(String value) implements Val {}

    record ListV(List<Val> elements) implements Val {
        public ListV { elements = List.copyOf(elements); }
    }

    record Tensor(Value value) implements Val {}

    /** A {@code param ... if cond} whose condition was false: only an optional input accepts it. */
    record Absent(String name) implements Val {}

    /**
     * Stands for the result of a statement that already reported an error. Every operation on it
     * yields it again without a new diagnostic, so one mistake is reported once.
     */
    enum Error implements Val { INSTANCE }

    default boolean isCompileTime() {
        return this instanceof Int || this instanceof Float || this instanceof Bool || this instanceof Str
                || this instanceof ListV;
    }

    /** The kind as a user reads it in a message: {@code int}, {@code tensor f32[B, 4]}, ... */
    static String describe(Val v) {
        return switch (v) {
            case Int i -> "int " + i.value();
            case Float f -> "float " + f.value();
            case Bool b -> "bool " + b.value();
            case Str s -> "string \"" + s.value() + "\"";
            case ListV l -> "list [" + l.elements().stream().map(Val::show).collect(Collectors.joining(", ")) + "]";
            case Tensor t -> "tensor " + t.value().type();
            case Absent a -> "absent param " + a.name();
            case Error e -> "<error>";
        };
    }

    /** The value as interpolated into strings: ints as {@link Dim#toString}, floats as Java prints them. */
    static String show(Val v) {
        return switch (v) {
            case Int i -> i.value().toString();
            case Float f -> Double.toString(f.value());
            case Bool b -> Boolean.toString(b.value());
            case Str s -> s.value();
            case ListV l -> l.elements().stream().map(Val::show).collect(Collectors.joining(", ", "[", "]"));
            case Tensor t -> t.value().type().toString();
            case Absent a -> "<absent>";
            case Error e -> "<error>";
        };
    }
}
