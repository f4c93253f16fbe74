package uk.ac.manchester.tornado.api.types.arrays;

import java.util.Arrays;

/** A fixed-size array of floats (f32). */
public final class FloatArray extends TornadoNativeArray {
    private final float[] data;

    public FloatArray(int numberOfElements) {
        if (numberOfElements < 0) throw new IllegalArgumentException("negative size " + numberOfElements);
        this.data = new float[numberOfElements];
    }

    public static FloatArray fromArray(float[] values) {
        FloatArray a = new FloatArray(values.length);
        System.arraycopy(values, 0, a.data, 0, values.length);
        return a;
    }

    public float get(int index) {
        return data[index];
    }

    public void set(int index, float value) {
        data[index] = value;
    }

    public void init(float value) {
        Arrays.fill(data, value);
    }

    public float[] toHeapArray() {
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
        return new FloatArray(data.length);
    }
}
