package uk.ac.manchester.tornado.api.types;

/** An IEEE 754 binary16 value. */
public final class HalfFloat {
    private final short bits;

    /** The f16 value nearest to {@code value}. */
    public HalfFloat(float value) {
        this.bits = Float.floatToFloat16(value);
    }

    public HalfFloat(short bits) {
        this.bits = bits;
    }

    public float getFloat32() {
        return Float.float16ToFloat(bits);
    }

    public short getHalfFloatValue() {
        return bits;
    }
}
