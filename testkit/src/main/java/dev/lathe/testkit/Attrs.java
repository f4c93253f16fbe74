package dev.lathe.testkit;

import dev.lathe.ir.Dim;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Attribute maps in the form {@code GraphBuilder.op} takes: Dims for ints, lists of Dims for int lists. */
final class Attrs {
    private Attrs() {}

    /** From alternating names and values; Integer and Long values become Dims, lists of them lists of Dims. */
    static Map<String, Object> of(Object... nameValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) m.put((String) nameValues[i], convert(nameValues[i + 1]));
        return m;
    }

    private static Object convert(Object v) {
        return switch (v) {
            case Integer n -> Dim.of(n);
            case Long n -> Dim.of(n);
            case List<?> list -> {
                List<Object> out = new ArrayList<>();
                for (Object o : list) out.add(convert(o));
                yield out;
            }
            default -> v;
        };
    }
}
