package dev.lathe.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lathe.diag.ErrorCode;
import dev.lathe.runtime.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shorthands for IR tests: types written like source, attribute maps, error expectations. */
final class IrFixtures {
    static final Dim B = Dim.var("B");
    static final Dim S = Dim.var("S");
    static final Provenance P = Provenance.NONE;

    private IrFixtures() {}

    /** {@code type(F32, B, 1, 64)}: dims are Dims or ints. */
    static TensorType type(DType dtype, Object... dims) {
        List<Dim> shape = new ArrayList<>();
        for (Object o : dims) shape.add(o instanceof Dim d ? d : Dim.of(((Number) o).longValue()));
        return new TensorType(dtype, shape);
    }

    static TensorType f32(Object... dims) {
        return type(DType.F32, dims);
    }

    static Dim d(long v) {
        return Dim.of(v);
    }

    /** An attribute map from alternating names and values; ints become Dims, int arrays lists of Dims. */
    static Map<String, Object> attrs(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], attr(kv[i + 1]));
        return m;
    }

    private static Object attr(Object v) {
        return switch (v) {
            case Integer n -> Dim.of(n);
            case Long n -> Dim.of(n);
            case int[] a -> Arrays.stream(a).mapToObj(n -> (Object) Dim.of(n)).toList();
            default -> v;
        };
    }

    static List<Value> ins(Value... values) {
        return Arrays.asList(values);
    }

    /** The single result of {@code op}. */
    static Value call(GraphBuilder g, String op, List<Value> inputs, Map<String, Object> attrs) throws OpTypeException {
        List<Value> out = g.op(op, inputs, attrs, P);
        assertEquals(1, out.size(), op + " results");
        return out.getFirst();
    }

    static OpTypeException fails(ErrorCode code, GraphBuilder g, String op, List<Value> inputs, Map<String, Object> attrs) {
        OpTypeException e = assertThrows(OpTypeException.class, () -> g.op(op, inputs, attrs, P));
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }
}
