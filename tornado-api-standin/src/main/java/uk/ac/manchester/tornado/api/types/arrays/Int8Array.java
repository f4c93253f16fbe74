package uk.ac.manchester.tornado.api.types.arrays;

import java.util.Arrays;

/** A fixed-size array of signed bytes (i8). */
public final class Int8Array extends TornadoNativeArray {
    private final byte[] data;

    public Int8Array(int numberOfElements) {
        if (numberOfElements < 0) throw new IllegalArgumentException("negative size " + numberOfElements);
        this.data = new byte[numberOfElements];
    }

    public static Int8Array fromArray(byte[] values) {
        Int8Array a = new Int8Array(values.length);
        System.arraycopy(values, 0, a.data, 0, values.length);
        return a;
    }

    public byte get(int index) {
        return data[index];
    }

    public void set(int index, byte value) {
        data[index] = value;
    }

    public void init(byte value) {
        Arrays.fill(data, value);
    }

    public byte[] toHeapArray() {
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
        return new Int8Array(data.length);
    }
}
