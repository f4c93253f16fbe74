package dev.lathe.runtime.model;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.kernels.Conv2d;
import dev.lathe.runtime.kernels.ConvWeights;
import dev.lathe.runtime.kernels.CsrWeight;
import dev.lathe.runtime.kernels.Gemm;
import dev.lathe.runtime.kernels.QuantGemm;
import dev.lathe.runtime.kernels.QuantMatrix;

/**
 * How a weight is prepared once at load time for the kernel that reads it. A packing is named in
 * the descriptor: empty for the plain array, {@code gemm_t} for a linear weight [out, in] used as
 * x·Wᵀ (packed for {@link Gemm}), {@code gemm} for a [k, n] right operand, {@code quant:<i8|u8|i4|u4>:<k>}
 * for a quantized weight [n, k] stored as its packed bytes (u8 [n, {@link QuantMatrix#rowBytes}], for
 * {@link QuantGemm}), {@code f32} for integers (zero points) or f16 (group scales) the kernels read as floats, {@code i32} for
 * an i32 tensor read as {@code int[]} (sparse indices and pointers), {@code conv} and {@code conv_direct}
 * for a convolution weight [cout, cin, kh, kw] of one group packed for the implicit GEMM or the direct
 * kernel ({@link ConvWeights}, chosen by {@link Conv2d#prefersDirect}), and {@code csr:<in>:<columns>:<pointers>}
 * for the f32 values (any shape, read in storage order) of a CSR weight [out, in] whose column indices and row pointers are the i32
 * weights named {@code columns} and {@code pointers} ({@link CsrWeight}, with its batch-1 row slices).
 */
public final class WeightPacking {
    public static final String NONE = "";
    public static final String GEMM_TRANSPOSED = "gemm_t";
    public static final String GEMM = "gemm";
    public static final String QUANT_PREFIX = "quant:";
    public static final String AS_F32 = "f32";
    public static final String I32 = "i32";
    public static final String CONV = "conv";
    public static final String CONV_DIRECT = "conv_direct";
    public static final String CSR_PREFIX = "csr:";

    private WeightPacking() {}

    /** The packing of a quantized weight [n, k] of {@code dtype} (i8, u8, i4 or u4). */
    public static String quant(DType dtype, long k) {
        return QUANT_PREFIX + dtype.sourceName() + ":" + k;
    }

    /** The packing of the values of a CSR weight with {@code in} columns whose indices and pointers are the weights so named. */
    public static String csr(long in, String columns, String pointers) {
        for (String name : new String[] {columns, pointers}) {
            if (name.isEmpty() || name.indexOf(':') >= 0) throw new IllegalArgumentException("CSR part name '" + name + "' must be non-empty and without ':'");
        }
        return CSR_PREFIX + in + ":" + columns + ":" + pointers;
    }

    /** Another weight of the same model, prepared with {@code packing} (a packing may combine several stored tensors). */
    @FunctionalInterface
    public interface Siblings {
        Object prepared(String name, String packing);
    }

    /** {@link #prepare(String, Tensor, Siblings)} for a packing that reads no other weight. */
    public static Object prepare(String packing, Tensor t) {
        return prepare(packing, t, (name, p) -> {
            throw new IllegalArgumentException("packing " + packing + " needs weight " + name + ", and no other weights are given");
        });
    }

    /** The object generated code receives for a weight buffer: the tensor's array, or its packed form. */
    public static Object prepare(String packing, Tensor t, Siblings siblings) {
        if (packing.startsWith(QUANT_PREFIX)) return quantMatrix(packing, t);
        if (packing.startsWith(CSR_PREFIX)) return csrWeight(packing, t, siblings);
        return switch (packing) {
            case AS_F32 -> {
                if (!t.dtype().isInteger() && t.dtype() != DType.F16) {
                    throw new IllegalArgumentException("packing f32 needs an integer or f16 tensor, got " + t.dtype().sourceName());
                }
                yield t.cast(DType.F32).unsafeData();
            }
            case NONE -> t.unsafeData();
            case GEMM_TRANSPOSED, GEMM -> {
                if (t.dtype() != DType.F32 || t.rank() != 2) throw new IllegalArgumentException("packing " + packing + " needs an f32 matrix, got " + t.dtype().sourceName() + java.util.Arrays.toString(t.shape()));
                yield Gemm.pack((float[]) t.unsafeData(), 0, (int) t.dim(0), (int) t.dim(1), packing.equals(GEMM_TRANSPOSED));
            }
            case CONV, CONV_DIRECT -> {
                if (t.dtype() != DType.F32 || t.rank() != 4) throw new IllegalArgumentException("packing " + packing + " needs an f32 [cout, cin, kh, kw] weight, got " + t.dtype().sourceName() + java.util.Arrays.toString(t.shape()));
                yield ConvWeights.pack((float[]) t.unsafeData(), 0, (int) t.dim(0), (int) t.dim(1), (int) t.dim(2), (int) t.dim(3), packing.equals(CONV_DIRECT));
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

    private static CsrWeight csrWeight(String packing, Tensor t, Siblings siblings) {
        String[] parts = packing.substring(CSR_PREFIX.length()).split(":", -1);
        if (parts.length != 3 || parts[1].isEmpty() || parts[2].isEmpty()) throw new IllegalArgumentException("bad CSR weight packing '" + packing + "'");
        long in = Long.parseLong(parts[0]);
        // N:M values come as [rows, kept]: read in storage order either way
        if (t.dtype() != DType.F32 || in < 0 || in > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("packing " + packing + " needs f32 values, got " + t.dtype().sourceName() + java.util.Arrays.toString(t.shape()));
        }
        if (!(siblings.prepared(parts[1], I32) instanceof int[] columns) || !(siblings.prepared(parts[2], I32) instanceof int[] pointers)) {
            throw new IllegalArgumentException("packing " + packing + ": the column indices and row pointers must be i32 weights");
        }
        if (pointers.length == 0) throw new IllegalArgumentException("packing " + packing + ": no row pointers");
        return CsrWeight.of(pointers.length - 1, (int) in, (float[]) t.unsafeData(), columns, pointers);
    }

    private static QuantMatrix quantMatrix(String packing, Tensor t) {
        String[] parts = packing.substring(QUANT_PREFIX.length()).split(":");
        DType type = parts.length == 2 ? DType.fromSourceName(parts[0]).orElse(null) : null;
        if (type == null || !(type == DType.I8 || type == DType.U8 || type == DType.I4 || type == DType.U4)) {
            throw new IllegalArgumentException("bad quantized weight packing '" + packing + "'");
        }
        int bits = type == DType.I8 || type == DType.U8 ? 8 : 4;
        int k = Integer.parseInt(parts[1]);
        if (t.dtype() != DType.U8 || t.rank() != 2 || t.dim(1) != QuantMatrix.rowBytes(k, bits)) {
            throw new IllegalArgumentException("packing " + packing + " needs u8 [n, " + QuantMatrix.rowBytes(k, bits) + "] bytes, got "
                    + t.dtype().sourceName() + java.util.Arrays.toString(t.shape()));
        }
        long[] v = (long[]) t.unsafeData();
        byte[] bytes = new byte[v.length];
        for (int i = 0; i < v.length; i++) bytes[i] = (byte) v[i];
        return QuantMatrix.of(bytes, (int) t.dim(0), k, bits, type == DType.I8 || type == DType.I4);
    }
}
