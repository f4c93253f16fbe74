package dev.lathe.testkit;

import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Comparisons of tensors and of named output maps within a {@link Tolerance}, reporting what
 * differs (name, dtype, shape, the first few elements out of tolerance) rather than only that
 * something does.
 */
public final class TensorAssertions {
    /** At most this many differing elements are listed per tensor. */
    static final int LISTED = 5;

    private TensorAssertions() {}

    /** Fails with the differences when {@code actual} is not {@code expected} within {@code tolerance}. */
    public static void assertClose(Tensor expected, Tensor actual, Tolerance tolerance) {
        List<String> d = differences("tensor", expected, actual, tolerance);
        if (!d.isEmpty()) throw new AssertionError(String.join("\n", d));
    }

    /** Fails with the differences when the maps have other names or any tensor differs. */
    public static void assertOutputsClose(Map<String, Tensor> expected, Map<String, Tensor> actual, Tolerance tolerance) {
        List<String> d = differences(expected, actual, tolerance);
        if (!d.isEmpty()) throw new AssertionError(String.join("\n", d));
    }

    /** One line per difference of two output maps; empty when they agree. */
    public static List<String> differences(Map<String, Tensor> expected, Map<String, Tensor> actual, Tolerance tolerance) {
        List<String> out = new ArrayList<>();
        Set<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(actual.keySet());
        Set<String> extra = new TreeSet<>(actual.keySet());
        extra.removeAll(expected.keySet());
        if (!missing.isEmpty()) out.add("missing outputs " + missing);
        if (!extra.isEmpty()) out.add("unexpected outputs " + extra);
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            Tensor a = actual.get(e.getKey());
            if (a != null) out.addAll(differences(e.getKey(), e.getValue(), a, tolerance));
        }
        return out;
    }

    /** One line per difference of two tensors (dtype, shape, or up to {@value #LISTED} elements); empty when they agree. */
    public static List<String> differences(String name, Tensor expected, Tensor actual, Tolerance tolerance) {
        List<String> out = new ArrayList<>();
        if (expected.dtype() != actual.dtype()) {
            out.add(name + ": dtype " + actual.dtype().sourceName() + ", expected " + expected.dtype().sourceName());
        }
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            out.add(name + ": shape " + Arrays.toString(actual.shape()) + ", expected " + Arrays.toString(expected.shape()));
            return out;
        }
        boolean floating = expected.dtype().isFloating() && actual.dtype().isFloating();
        int count = 0;
        for (int i = 0; i < expected.size(); i++) {
            boolean ok = floating
                    ? tolerance.accepts(expected.getDouble(i), actual.getDouble(i))
                    : expected.getLong(i) == actual.getLong(i);
            if (ok) continue;
            if (count < LISTED) {
                out.add(name + "[" + i + "]: " + element(actual, i, floating) + ", expected " + element(expected, i, floating)
                        + (floating ? " (diff " + Math.abs(actual.getDouble(i) - expected.getDouble(i)) + ")" : ""));
            }
            count++;
        }
        if (count > LISTED) out.add(name + ": " + (count - LISTED) + " more elements differ, of " + expected.size());
        return out;
    }

    private static String element(Tensor t, int i, boolean floating) {
        return floating ? Double.toString(t.getDouble(i)) : Long.toString(t.getLong(i));
    }
}
