package dev.lathe.pass;

import java.util.Locale;
import java.util.Objects;

/**
 * One line of an error certificate: a named quantity, how it relates to the value ({@code "="}
 * for a value computed exactly up to floating point, {@code "<="} for an upper bound), the value,
 * and where it comes from, as in {@code ||W - BA||_F = 0.123 (sqrt of the sum of dropped sigma^2)}.
 */
public record ErrorBound(String quantity, String relation, double value, String basis) {
    public ErrorBound {
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(basis, "basis");
        if (!relation.equals("=") && !relation.equals("<=")) throw new IllegalArgumentException("relation " + relation);
    }

    public static ErrorBound equal(String quantity, double value, String basis) {
        return new ErrorBound(quantity, "=", value, basis);
    }

    public static ErrorBound atMost(String quantity, double value, String basis) {
        return new ErrorBound(quantity, "<=", value, basis);
    }

    @Override
    public String toString() {
        return quantity + " " + relation + " " + String.format(Locale.ROOT, "%.4g", value) + (basis.isEmpty() ? "" : " (" + basis + ")");
    }
}
