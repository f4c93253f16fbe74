package dev.lathe.weights;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which stored element types a declared param type accepts (LANGUAGE.md §9): the same type, or a
 * narrower float type for f32 (f16, bf16) and f64 (f32, f16, bf16), because those widen exactly.
 * Nothing narrows, and nothing crosses between integers and floats.
 */
final class ElementTypes {
    private ElementTypes() {}

    static List<DType> accepted(DType declared) {
        return switch (declared) {
            case F32 -> List.of(DType.F32, DType.F16, DType.BF16);
            case F64 -> List.of(DType.F64, DType.F32, DType.F16, DType.BF16);
            default -> List.of(declared);
        };
    }

    static boolean accepts(DType declared, DType stored) {
        return accepted(declared).contains(stored);
    }

    /** {@code f32, f16 or bf16}. */
    static String describeAccepted(DType declared) {
        List<String> names = accepted(declared).stream().map(DType::sourceName).toList();
        if (names.size() == 1) return names.getFirst();
        return names.subList(0, names.size() - 1).stream().collect(Collectors.joining(", ")) + " or " + names.getLast();
    }

    /** {@code t} as {@code declared}, which must accept it; every conversion done here is exact. */
    static Tensor widen(Tensor t, DType declared) {
        if (!accepts(declared, t.dtype())) throw new IllegalArgumentException(declared + " does not accept " + t.dtype());
        if (t.dtype() == declared) return t;
        return switch (declared) {
            // f16 and bf16 tensors already hold their values as floats.
            case F32 -> Tensor.ofFloats(DType.F32, t.shape(), t.toFloatArray());
            case F64 -> Tensor.ofDoubles(t.shape(), t.toDoubleArray());
            default -> throw new AssertionError(declared);
        };
    }
}
