package dev.lathe.ir;

import dev.lathe.diag.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads of one call's attributes in the form of the Graph IR contract: {@code Dim} for
 * ints, {@code Double} for floats, {@code Boolean}, {@code String}, {@code List<Object>} of those.
 * A wrong kind of value is E0307 naming the op and the attribute. An int-list attribute given as
 * a single {@code Dim} is a one-element list, as the source allows {@code stride = 2}.
 */
final class OpAttributes {
    private final String op;
    private final Map<String, Object> attrs;

    OpAttributes(String op, Map<String, Object> attrs) {
        this.op = op;
        this.attrs = attrs == null ? Map.of() : attrs;
    }

    /** E0307 for attributes the op does not have (the elaborator should have caught them). */
    void allowOnly(String... names) throws OpTypeException {
        Set<String> unknown = new TreeSet<>(attrs.keySet());
        unknown.removeAll(List.of(names));
        if (!unknown.isEmpty()) throw error("has no attribute" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown));
    }

    boolean has(String name) {
        return attrs.get(name) != null;
    }

    Dim dim(String name) throws OpTypeException {
        return asDim(name, required(name));
    }

    long constant(String name) throws OpTypeException {
        return asConstant(name, dim(name));
    }

    int intValue(String name) throws OpTypeException {
        return asInt(name, constant(name));
    }

    int intValue(String name, int fallback) throws OpTypeException {
        return has(name) ? intValue(name) : fallback;
    }

    List<Dim> dims(String name) throws OpTypeException {
        Object v = required(name);
        List<Dim> out = new ArrayList<>();
        if (v instanceof List<?> list) {
            for (Object o : list) out.add(asDim(name, o));
        } else {
            out.add(asDim(name, v));
        }
        return out;
    }

    List<Dim> dims(String name, List<Dim> fallback) throws OpTypeException {
        return has(name) ? dims(name) : fallback;
    }

    List<Integer> ints(String name) throws OpTypeException {
        List<Integer> out = new ArrayList<>();
        for (Dim d : dims(name)) out.add(asInt(name, asConstant(name, d)));
        return out;
    }

    List<Integer> ints(String name, List<Integer> fallback) throws OpTypeException {
        return has(name) ? ints(name) : fallback;
    }

    double real(String name, double fallback) throws OpTypeException {
        return has(name) ? real(name) : fallback;
    }

    double real(String name) throws OpTypeException {
        return switch (required(name)) {
            case Double d -> d;
            case Float f -> f;
            // An integer written for a float attribute (alpha = 1) is its value.
            case Dim d when d.isConstant() -> d.constant().getAsLong();
            case Number n when !(n instanceof Double) -> n.doubleValue();
            case Object o -> throw error("attribute " + name + " must be a float, got " + describe(o));
        };
    }

    Double optionalReal(String name) throws OpTypeException {
        return has(name) ? real(name) : null;
    }

    boolean bool(String name, boolean fallback) throws OpTypeException {
        if (!has(name)) return fallback;
        if (attrs.get(name) instanceof Boolean b) return b;
        throw error("attribute " + name + " must be a bool, got " + describe(attrs.get(name)));
    }

    String string(String name, String fallback) throws OpTypeException {
        if (!has(name)) return fallback;
        if (attrs.get(name) instanceof String s) return s;
        throw error("attribute " + name + " must be a string, got " + describe(attrs.get(name)));
    }

    private Object required(String name) throws OpTypeException {
        Object v = attrs.get(name);
        if (v == null) throw error("needs the attribute " + name);
        return v;
    }

    private Dim asDim(String name, Object o) throws OpTypeException {
        return switch (o) {
            case Dim d -> d;
            case Integer i -> Dim.of(i);
            case Long l -> Dim.of(l);
            default -> throw error("attribute " + name + " must be an int, got " + describe(o));
        };
    }

    private long asConstant(String name, Dim d) throws OpTypeException {
        if (!d.isConstant()) throw error("attribute " + name + " must be a constant int, got " + d);
        return d.constant().getAsLong();
    }

    private int asInt(String name, long v) throws OpTypeException {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw error("attribute " + name + " = " + v + " is out of range");
        return (int) v;
    }

    private static String describe(Object o) {
        return switch (o) {
            case String s -> "the string \"" + s + "\"";
            case List<?> l -> "the list " + l;
            default -> String.valueOf(o);
        };
    }

    OpTypeException error(String message) {
        return new OpTypeException(ErrorCode.E0307, op + " " + message);
    }
}
