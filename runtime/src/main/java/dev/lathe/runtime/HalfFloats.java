package dev.lathe.runtime;

/**
 * Conversions between {@code float}/{@code double} and the 16-bit storage formats IEEE binary16
 * ({@code f16}) and bfloat16 ({@code bf16}). Every narrowing rounds to nearest, ties to even, and keeps
 * NaN a NaN; widening is exact. Bit patterns are returned and taken as {@code short}.
 */
public final class HalfFloats {
    private HalfFloats() {}

    public static short floatToF16(float value) {
        return Float.floatToFloat16(value);
    }

    public static float f16ToFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            int high = bits >>> 16;
            // Truncating a NaN whose payload lives only in the low 16 bits would give infinity:
            // set the quiet bit then, and keep the payload bits that survive otherwise.
            if ((high & 0x7F) == 0) high |= 0x40;
            return (short) high;
        }
        // Adding 0x7FFF plus the lowest kept bit rounds ties to even; a carry out of the mantissa
        // correctly bumps the exponent, up to infinity past the largest finite bf16.
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** The f16 value nearest to {@code value}, as a float. */
    public static float roundToF16(float value) {
        return f16ToFloat(floatToF16(value));
    }

    /** The bf16 value nearest to {@code value}, as a float. */
    public static float roundToBf16(float value) {
        return bf16ToFloat(floatToBf16(value));
    }

    /**
     * The f16 value nearest to {@code value}. Going through {@code (float) value} first would round
     * twice and can miss by one ulp on near-ties, so the double is first narrowed with round-to-odd,
     * which is exact for a second rounding to any format at least two bits narrower than float.
     */
    public static float roundToF16(double value) {
        return roundToF16(toFloatRoundToOdd(value));
    }

    /** The bf16 value nearest to {@code value} (see {@link #roundToF16(double)} for why round-to-odd). */
    public static float roundToBf16(double value) {
        return roundToBf16(toFloatRoundToOdd(value));
    }

    /** Truncates toward zero and sets the last mantissa bit when anything was lost ("round to odd"). */
    static float toFloatRoundToOdd(double value) {
        float nearest = (float) value;
        if (Double.isNaN(value) || (double) nearest == value) return nearest;
        int bits = Float.floatToRawIntBits(nearest);
        // Sign-magnitude: decrementing the bits moves one ulp toward zero (infinity becomes MAX_VALUE).
        if (Math.abs((double) nearest) > Math.abs(value)) bits -= 1;
        return Float.intBitsToFloat(bits | 1);
    }
}
