package dev.lathe.pass;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The type of a pass argument. Values arrive as {@link PassStatement} documents them ({@code Long},
 * {@code Double}, {@code Boolean}, {@code String}, {@code List<Object>}); {@link #coerce} turns a
 * value into this type's canonical Java form or says it does not fit.
 */
public enum ArgType {
    INT("int"), FLOAT("float"), BOOL("bool"), STRING("string"), INT_LIST("int list");

    private final String displayName;

    ArgType(String displayName) {
        this.displayName = displayName;
    }

    /** As written in diagnostics and docs: {@code int}, {@code float}, {@code int list}. */
    public String displayName() {
        return displayName;
    }

    /**
     * The value as this type ({@code Long}, {@code Double}, {@code Boolean}, {@code String},
     * {@code List<Long>}), or empty when it has another type. An integer is a valid float
     * ({@code ratio = 1} means {@code 1.0}), never the other way round, so that a fractional rank
     * cannot be truncated silently.
     */
    public Optional<Object> coerce(Object value) {
        return switch (this) {
            case INT -> asLong(value).map(Object.class::cast);
            case FLOAT -> switch (value) {
                case Double d -> Optional.of(d);
                case Float f -> Optional.of((double) f);
                case null -> Optional.empty();
                default -> asLong(value).map(l -> (Object) l.doubleValue());
            };
            case BOOL -> value instanceof Boolean b ? Optional.of(b) : Optional.empty();
            case STRING -> value instanceof String s ? Optional.of(s) : Optional.empty();
            case INT_LIST -> {
                if (!(value instanceof List<?> list)) yield Optional.empty();
                List<Long> out = new ArrayList<>(list.size());
                for (Object o : list) {
                    Optional<Long> l = asLong(o);
                    if (l.isEmpty()) yield Optional.empty();
                    out.add(l.get());
                }
                yield Optional.of(List.copyOf(out));
            }
        };
    }

    private static Optional<Long> asLong(Object value) {
        return switch (value) {
            case Long l -> Optional.of(l);
            case Integer i -> Optional.of(i.longValue());
            case Short s -> Optional.of(s.longValue());
            case Byte b -> Optional.of(b.longValue());
            case null, default -> Optional.empty();
        };
    }
}
