package uk.ac.manchester.tornado.api.types.arrays;

import java.util.Arrays;

/** A fixed-size array of ints (i32). */
public final class IntArray extends TornadoNativeArray {
    private final int[] data;

    public IntArray(int numberOfElements) {
        if (numberOfElements < 0) throw new IllegalArgumentException("negative size " + numberOfElements);
        this.data = new int[numberOfElements];
    }

    public static IntArray fromArray(int[] values) {
        IntArray a = new IntArray(values.length);
        System.arraycopy(values, 0, a.data, 0, values.length);
        return a;
    }

    public int get(int index) {
        return data[index];
    }

    public void set(int index, int value) {
        data[index] = value;
    }

    public void init(int value) {
        Arrays.fill(data, value);
    }

    public int[] toHeapArray() {
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
        return new IntArray(data.length);
    }
}
