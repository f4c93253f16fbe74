package dev.lathe.runtime.model;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.kernels.Gemm;

/**
 * How a weight is prepared once at load time for the kernel that reads it. A packing is named in
 * the descriptor: empty for the plain array, {@code gemm_t} for a linear weight [out, in] used as
 * x·Wᵀ (packed for {@link Gemm}), {@code gemm} for a [k, n] right operand, {@code i32} for an i32
 * tensor read as {@code int[]} (sparse indices and pointers).
 */
public final class WeightPacking {
    public static final String NONE = "";
    public static final String GEMM_TRANSPOSED = "gemm_t";
    public static final String GEMM = "gemm";
    public static final String I32 = "i32";

    private WeightPacking() {}

    /** The object generated code receives for a weight buffer: the tensor's array, or its packed form. */
    public static Object prepare(String packing, Tensor t) {
        return switch (packing) {
            case NONE -> t.unsafeData();
            case GEMM_TRANSPOSED, GEMM -> {
                if (t.dtype() != DType.F32 || t.rank() != 2) throw new IllegalArgumentException("packing " + packing + " needs an f32 matrix, got " + t.dtype().sourceName() + java.util.Arrays.toString(t.shape()));
                yield Gemm.pack((float[]) t.unsafeData(), 0, (int) t.dim(0), (int) t.dim(1), packing.equals(GEMM_TRANSPOSED));
            }
            case I32 -> {
                if (t.dtype() != DType.I32) throw new IllegalArgumentException("packing i32 needs an i32 tensor, got " + t.dtype().sourceName());
                int[] ints = new int[t.size()];
                for (int i = 0; i < ints.length; i++) ints[i] = (int) t.getLong(i);
                yield ints;
            }
            default -> throw new IllegalArgumentException("unknown weight packing '" + packing + "'");
        };
    }
}
