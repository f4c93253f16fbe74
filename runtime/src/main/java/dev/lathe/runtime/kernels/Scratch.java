package dev.lathe.runtime.kernels;

/**
 * Per-thread scratch arrays, so that kernels do not allocate on every call. Each slot belongs to one
 * use; a kernel that calls another uses a different slot from its callee, so nested uses on the same
 * thread never share an array. Arrays only grow, up to the largest request seen on that thread.
 */
final class Scratch {
    static final int GEMM_B = 0;
    static final int GEMM_A = 1;
    static final int CONV_COLUMNS = 2;
    static final int ATTENTION = 3;
    static final int BATCHED = 4;
    static final int QUANT_A = 5;
    static final int QUANT_C = 6;
    static final int SPARSE_X = 7;
    static final int CONV_WIDE = 8;
    static final int CONV_OUTPUT = 9;
    private static final int SLOTS = 10;

    private static final ThreadLocal<float[][]> ARRAYS = ThreadLocal.withInitial(() -> new float[SLOTS][]);

    private Scratch() {}

    /** An array of at least {@code size} floats, contents unspecified. */
    static float[] get(int slot, int size) {
        float[][] slots = ARRAYS.get();
        float[] a = slots[slot];
        if (a == null || a.length < size) {
            a = new float[Math.max(size, a == null ? 0 : Math.min(Integer.MAX_VALUE - 8, (int) (a.length * 1.5)))];
            slots[slot] = a;
        }
        return a;
    }
}
