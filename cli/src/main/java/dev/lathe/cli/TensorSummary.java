package dev.lathe.cli;

import dev.lathe.runtime.Tensor;
import java.util.Locale;

/** One line per tensor: name, type, the first values and, for larger tensors, min/max/mean. */
final class TensorSummary {
    static final int SHOWN = 8;

    private TensorSummary() {}

    static String describe(String name, Tensor t) {
        StringBuilder sb = new StringBuilder(name).append(": ").append(t.dtype().sourceName()).append(java.util.Arrays.toString(t.shape())).append(" = [");
        int n = t.size();
        for (int i = 0; i < Math.min(n, SHOWN); i++) {
            if (i > 0) sb.append(", ");
            sb.append(t.dtype().isFloating() ? String.format(Locale.ROOT, "%.6g", t.getDouble(i)) : Long.toString(t.getLong(i)));
        }
        if (n > SHOWN) sb.append(", ... (").append(n).append(" values)");
        sb.append(']');
        if (n > SHOWN) {
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int i = 0; i < n; i++) {
                double v = t.getDouble(i);
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
            }
            sb.append(String.format(Locale.ROOT, "  min=%.6g max=%.6g mean=%.6g", min, max, sum / n));
        }
        return sb.toString();
    }
}
