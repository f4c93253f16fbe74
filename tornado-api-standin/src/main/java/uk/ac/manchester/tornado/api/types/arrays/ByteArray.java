package uk.ac.manchester.tornado.api.types.arrays;

import java.util.Arrays;

/** A fixed-size array of bytes (bool as 0/1). */
public final class ByteArray extends TornadoNativeArray {
    private final byte[] data;

    public ByteArray(int numberOfElements) {
        if (numberOfElements < 0) throw new IllegalArgumentException("negative size " + numberOfElements);
        this.data = new byte[numberOfElements];
    }

    public static ByteArray fromArray(byte[] values) {
        ByteArray a = new ByteArray(values.length);
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
        return new ByteArray(data.length);
    }
}
