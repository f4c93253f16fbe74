package dev.lathe.backend.jvm;

import dev.lathe.ir.Dim;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The symbolic sizes a generated class reads at run time: each distinct non-constant {@link Dim} gets
 * an index; the runtime evaluates them from the named dims before each call and passes them as
 * {@code int[] sizes}. Constants are emitted as literals and never enter the table (except buffer
 * sizes, which the runtime needs to allocate).
 */
final class SizeTable {
    private final Map<Dim, Integer> index = new HashMap<>();
    private final List<Dim> dims = new ArrayList<>();

    int indexOf(Dim d) {
        return index.computeIfAbsent(d, k -> {
            dims.add(k);
            return dims.size() - 1;
        });
    }

    /** The text of every size, in index order ({@code dev.lathe.runtime.model.SizeExpr} syntax). */
    List<String> texts() {
        return dims.stream().map(Dim::toString).toList();
    }

    static boolean isIntConstant(Dim d) {
        if (!d.isConstant()) return false;
        long v = d.constant().getAsLong();
        return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
    }
}
