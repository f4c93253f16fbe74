package uk.ac.manchester.tornado.api.types.arrays;

import java.util.Arrays;

/** A fixed-size array of longs (i64). */
public final class LongArray extends TornadoNativeArray {
    private final long[] data;

    public LongArray(int numberOfElements) {
        if (numberOfElements < 0) throw new IllegalArgumentException("negative size " + numberOfElements);
        this.data = new long[numberOfElements];
    }

    public static LongArray fromArray(long[] values) {
        LongArray a = new LongArray(values.length);
        System.arraycopy(values, 0, a.data, 0, values.length);
        return a;
    }

    public long get(int index) {
        return data[index];
    }

    public void set(int index, long value) {
        data[index] = value;
    }

    public void init(long value) {
        Arrays.fill(data, value);
    }

    public long[] toHeapArray() {
        return data.clone();
    }

    @Override
    public int getSize() {
        return data.length;
    }

    @Override
    Object storage() {
        return data;
    }

    @Override
    public TornadoNativeArray newZeroedLike() {
        return new LongArray(data.length);
    }
}
