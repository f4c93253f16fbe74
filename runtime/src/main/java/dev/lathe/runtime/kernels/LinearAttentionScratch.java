package dev.lathe.runtime.kernels;

/**
 * Per-thread scratch of the f32 linear-attention kernels, apart from {@link Scratch} because those
 * kernels call {@link Gemm} and {@link Attention}, which use its slots. Arrays only grow; their
 * sizes depend on the block size, the feature count and the head sizes (and the window), never on
 * the sequence length alone, so memory is linear in the sequence length (see {@link #floatsHeld}).
 */
final class LinearAttentionScratch {
    static final int KEY_FEATURES = 0, QUERY_FEATURES = 1, TEMP = 2, SCORES = 3, STATE = 4, KEY_SUM = 5, ROWS = 6, VALUES = 7, NUMERATORS = 8,
            DENOMINATORS = 9;
    private static final int SLOTS = 10;

    private static final ThreadLocal<float[][]> ARRAYS = ThreadLocal.withInitial(() -> new float[SLOTS][]);

    private LinearAttentionScratch() {}

    /** An array of at least {@code size} floats, contents unspecified. */
    static float[] get(int slot, int size) {
        float[][] slots = ARRAYS.get();
        float[] a = slots[slot];
        if (a == null || a.length < size) {
            a = new float[size];
            slots[slot] = a;
        }
        return a;
    }

    /** The floats this thread's scratch holds now: what the largest call so far needed. */
    static long floatsHeld() {
        long n = 0;
        for (float[] a : ARRAYS.get()) n += a == null ? 0 : a.length;
        return n;
    }

    /** Drops this thread's scratch (for measuring one call's needs). */
    static void release() {
        ARRAYS.remove();
    }
}
