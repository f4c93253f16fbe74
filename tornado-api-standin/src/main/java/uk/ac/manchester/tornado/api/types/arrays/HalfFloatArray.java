package uk.ac.manchester.tornado.api.types.arrays;

import java.util.Arrays;
import uk.ac.manchester.tornado.api.types.HalfFloat;

/** A fixed-size array of IEEE 754 binary16 values (f16). */
public final class HalfFloatArray extends TornadoNativeArray {
    private final short[] data;

    public HalfFloatArray(int numberOfElements) {
        if (numberOfElements < 0) throw new IllegalArgumentException("negative size " + numberOfElements);
        this.data = new short[numberOfElements];
    }

    public HalfFloat get(int index) {
        return new HalfFloat(data[index]);
    }

    public void set(int index, HalfFloat value) {
        data[index] = value.getHalfFloatValue();
    }

    public void init(HalfFloat value) {
        Arrays.fill(data, value.getHalfFloatValue());
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
        return new HalfFloatArray(data.length);
    }
}
