package dev.lathe.pass;

import java.util.Objects;

/**
 * One argument of a pass: its name, type, admitted values, default ({@code null} when it has none
 * or when its default depends on other arguments, see {@link ArgRule.DefaultWhen}) and a one-line
 * summary for the docs.
 */
public record ArgInfo(String name, ArgType type, Allowed allowed, Object defaultValue, String summary) {
    public ArgInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(allowed, "allowed");
        Objects.requireNonNull(summary, "summary");
        if (defaultValue != null) {
            // A registry whose default its own check rejects would fail every statement that omits it.
            Object coerced = type.coerce(defaultValue)
                    .orElseThrow(() -> new IllegalArgumentException("default of " + name + " is not a " + type.displayName()));
            if (!allowed.admits(coerced)) throw new IllegalArgumentException("default of " + name + " is not " + allowed.describe());
            defaultValue = coerced;
        }
    }

    public boolean hasDefault() {
        return defaultValue != null;
    }
}
