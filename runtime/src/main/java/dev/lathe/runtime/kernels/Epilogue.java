package dev.lathe.runtime.kernels;

/**
 * What a GEMM does to each result element before storing it, in this order:
 * <pre>
 *   C[i, j] = act(sum_p A[i, p] * B[p, j] + bias[biasOff + j]) + residual[resOff + i * ldr + j]
 * </pre>
 * {@code bias} (length at least {@code biasOff + n}) and {@code residual} are optional (null).
 * The residual may be C itself at the same offset and leading dimension ({@code C += act(A·B + bias)}),
 * since each element is read before it is written; any other overlap with C is undefined.
 * Immutable; the arrays are referenced, not copied.
 */
public record Epilogue(float[] bias, int biasOff, Activation act, float[] residual, int resOff, int ldr) {
    /** Plain {@code C = A·B}. */
    public static final Epilogue NONE = new Epilogue(null, 0, Activation.NONE, null, 0, 0);

    public Epilogue {
        if (act == null) throw new IllegalArgumentException("epilogue activation must not be null (use Activation.NONE)");
        if (biasOff < 0 || resOff < 0 || ldr < 0) {
            throw new IllegalArgumentException("epilogue offsets must be >= 0: biasOff=" + biasOff + " resOff=" + resOff + " ldr=" + ldr);
        }
    }

    /** {@code C = act(A·B + bias)}; bias may be null. */
    public static Epilogue of(float[] bias, Activation act) {
        return new Epilogue(bias, 0, act, null, 0, 0);
    }

    /** {@code C = act(A·B)}. */
    public static Epilogue of(Activation act) {
        return new Epilogue(null, 0, act, null, 0, 0);
    }

    /** This epilogue with a residual {@code [m, n]} (row stride {@code ldr}) added last. */
    public Epilogue withResidual(float[] residual, int resOff, int ldr) {
        return new Epilogue(bias, biasOff, act, residual, resOff, ldr);
    }

    /** True when the epilogue is the identity: no bias, no activation, no residual. */
    public boolean isIdentity() {
        return bias == null && act == Activation.NONE && residual == null;
    }
}
