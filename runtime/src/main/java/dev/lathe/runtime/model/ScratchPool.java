package dev.lathe.runtime.model;

import dev.lathe.runtime.DType;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Per-call scratch: arenas of slot arrays, one arena per concurrent call, reused across calls so a
 * call allocates only its output arrays. An arena's arrays grow to the largest sizes seen and are
 * never shrunk. Thread-safe.
 */
final class ScratchPool {
    /** The arrays of one call: the buffer table handed to the code and the scratch slots. */
    static final class Arena {
        final Object[] buffers;
        final Object[] slots;
        final int[] capacity;

        Arena(int bufferCount, int slotCount) {
            buffers = new Object[bufferCount];
            slots = new Object[slotCount];
            capacity = new int[slotCount];
            java.util.Arrays.fill(capacity, -1);
        }

        /** Slot {@code slot} with room for at least {@code size} elements of {@code storage}. */
        Object slot(int slot, DType.Storage storage, int size) {
            if (capacity[slot] < size) {
                // Grow with headroom so that a slowly increasing size does not reallocate on every call.
                int n = capacity[slot] < 0 ? size : (int) Math.min(Integer.MAX_VALUE - 8, Math.max(size, (long) capacity[slot] * 3 / 2));
                slots[slot] = allocate(storage, n);
                capacity[slot] = n;
            }
            return slots[slot];
        }
    }

    private final ConcurrentLinkedDeque<Arena> free = new ConcurrentLinkedDeque<>();
    private final int bufferCount;
    private final int slotCount;

    ScratchPool(int bufferCount, int slotCount) {
        this.bufferCount = bufferCount;
        this.slotCount = slotCount;
    }

    Arena acquire() {
        Arena a = free.pollFirst();
        return a != null ? a : new Arena(bufferCount, slotCount);
    }

    void release(Arena arena) {
        free.addFirst(arena);
    }

    static Object allocate(DType.Storage storage, int n) {
        return switch (storage) {
            case FLOAT -> new float[n];
            case DOUBLE -> new double[n];
            case LONG -> new long[n];
            case BOOLEAN -> new boolean[n];
        };
    }
}
