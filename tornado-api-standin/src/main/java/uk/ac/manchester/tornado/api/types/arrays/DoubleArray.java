package uk.ac.manchester.tornado.api.types.arrays;

import java.util.Arrays;

/** A fixed-size array of doubles (f64). */
public final class DoubleArray extends TornadoNativeArray {
    private final double[] data;

    public DoubleArray(int numberOfElements) {
        if (numberOfElements < 0) throw new IllegalArgumentException("negative size " + numberOfElements);
        this.data = new double[numberOfElements];
    }

    public static DoubleArray fromArray(double[] values) {
        DoubleArray a = new DoubleArray(values.length);
        System.arraycopy(values, 0, a.data, 0, values.length);
        return a;
    }

    public double get(int index) {
        return data[index];
    }

    public void set(int index, double value) {
        data[index] = value;
    }

    public void init(double value) {
        Arrays.fill(data, value);
    }

    public double[] toHeapArray() {
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
        return new DoubleArray(data.length);
    }
}
