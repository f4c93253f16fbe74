package dev.lathe.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Expected bit patterns are worked out by hand from the IEEE binary16 and bfloat16 layouts. */
class HalfFloatsTest {
    private static int f16(float v) { return HalfFloats.floatToF16(v) & 0xFFFF; }

    private static int bf16(float v) { return HalfFloats.floatToBf16(v) & 0xFFFF; }

    private static int bf16Bits(int floatBits) { return bf16(Float.intBitsToFloat(floatBits)); }

    @Test
    void f16KnownPatterns() {
        assertEquals(0x3C00, f16(1.0f));
        assertEquals(0x7BFF, f16(65504f));
        assertEquals(0xC000, f16(-2.0f));
        assertEquals(0x3800, f16(0.5f));
        assertEquals(0x8000, f16(-0.0f));
        assertEquals(0x7C00, f16(Float.POSITIVE_INFINITY));
        assertEquals(0x0001, f16(0x1p-24f), "smallest subnormal");
        assertEquals(0x2E66, f16(0.1f));
    }

    @Test
    void f16RoundsTiesToEven() {
        assertEquals(0x3C00, f16(1 + 0x1p-11f), "halfway between 0x3C00 and 0x3C01: keep the even one");
        assertEquals(0x3C02, f16(1 + 3 * 0x1p-11f), "halfway between 0x3C01 and 0x3C02");
        assertEquals(0x3C01, f16(1 + 0x1p-11f + 0x1p-20f), "just above halfway rounds up");
        assertEquals(0x7BFF, f16(65519f), "below the overflow midpoint");
        assertEquals(0x7C00, f16(65520f), "the midpoint to 65536 rounds to even, i.e. infinity");
    }

    @Test
    void f16KeepsNaN() {
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat(HalfFloats.floatToF16(Float.NaN))));
        assertEquals(0x7C00, f16(Float.POSITIVE_INFINITY) & 0x7C00, "exponent all ones");
    }

    @Test
    void f16WidensExactly() {
        assertEquals(1.0f, HalfFloats.f16ToFloat((short) 0x3C00));
        assertEquals(65504f, HalfFloats.f16ToFloat((short) 0x7BFF));
        assertEquals(0x1p-24f, HalfFloats.f16ToFloat((short) 0x0001));
        assertEquals(0.0999755859375f, HalfFloats.f16ToFloat((short) 0x2E66));
    }

    @Test
    void bf16KnownPatterns() {
        assertEquals(0x3F80, bf16(1.0f));
        assertEquals(0xC000, bf16(-2.0f));
        assertEquals(0x8000, bf16(-0.0f));
        assertEquals(0x7F80, bf16(Float.POSITIVE_INFINITY));
        assertEquals(0xFF80, bf16(Float.NEGATIVE_INFINITY));
        assertEquals(0x3DCD, bf16(0.1f), "0x3DCCCCCD rounds up");
    }

    @Test
    void bf16RoundsTiesToEven() {
        assertEquals(0x3F80, bf16Bits(0x3F808000), "halfway, even below");
        assertEquals(0x3F82, bf16Bits(0x3F818000), "halfway, even above");
        assertEquals(0x3F81, bf16Bits(0x3F808001), "just above halfway");
        assertEquals(0x3F80, bf16Bits(0x3F807FFF), "just below halfway");
        assertEquals(0x7F7F, bf16Bits(0x7F7F7FFF), "largest value that stays finite");
        assertEquals(0x7F80, bf16Bits(0x7F7FFFFF), "Float.MAX_VALUE overflows to infinity");
        assertEquals(0x0000, bf16Bits(0x00008000), "subnormal tie rounds to even zero");
        assertEquals(0x0002, bf16Bits(0x00018000), "subnormal tie rounds to even two");
    }

    @Test
    void bf16PreservesNaN() {
        assertEquals(0x7FC0, bf16Bits(0x7FC00000), "quiet NaN");
        assertEquals(0xFF81, bf16Bits(0xFF810000), "payload in the high half is kept");
        int fromLowPayload = bf16Bits(0x7F800001);
        assertTrue(Float.isNaN(HalfFloats.bf16ToFloat((short) fromLowPayload)),
                "a NaN whose payload is only in the low half must not become infinity: " + Integer.toHexString(fromLowPayload));
    }

    @Test
    void bf16WidensExactly() {
        assertEquals(1.0f, HalfFloats.bf16ToFloat((short) 0x3F80));
        assertEquals(-2.0f, HalfFloats.bf16ToFloat((short) 0xC000));
        assertEquals(0.10009765625f, HalfFloats.bf16ToFloat((short) 0x3DCD));
    }

    @Test
    void doublesRoundOnceNotTwice() {
        // (float) of these loses the 2^-40 and lands exactly on a tie, which would then round down.
        assertEquals(1 + 0x1p-10f, HalfFloats.roundToF16(1 + 0x1p-11 + 0x1p-40));
        assertEquals(1 + 0x1p-7f, HalfFloats.roundToBf16(1 + 0x1p-8 + 0x1p-40));
        assertEquals(1.0f, HalfFloats.roundToF16(1 + 0x1p-11), "an exact tie still goes to even");
        assertEquals(Float.POSITIVE_INFINITY, HalfFloats.roundToBf16(1e39));
        assertEquals(Float.intBitsToFloat(0x7F7F0000), HalfFloats.roundToBf16(3.3961e38), "below the bf16 overflow midpoint");
        assertEquals(-0.0f, HalfFloats.roundToF16(-1e-300));
        assertTrue(Float.isNaN(HalfFloats.roundToBf16(Double.NaN)));
    }

    @Test
    void tensorsOfHalfTypesHoldRepresentableValues() {
        Tensor h = Tensor.fromDoubles(DType.F16, new long[] {3}, new double[] {1 + 0x1p-11 + 0x1p-40, 70000, 0.1});
        assertArrayEquals(new float[] {1 + 0x1p-10f, Float.POSITIVE_INFINITY, 0.0999755859375f}, h.toFloatArray());

        Tensor b = Tensor.ofFloats(new long[] {3}, new float[] {1.0f, 0.1f, 3.4e38f}).cast(DType.BF16);
        assertEquals(DType.BF16, b.dtype());
        assertArrayEquals(new float[] {1.0f, 0.10009765625f, Float.POSITIVE_INFINITY}, b.toFloatArray());

        Tensor direct = Tensor.ofFloats(DType.F16, new long[] {1}, new float[] {0.1f});
        assertArrayEquals(new float[] {0.0999755859375f}, direct.toFloatArray());

        Tensor f32 = Tensor.ofFloats(DType.F32, new long[] {1}, new float[] {0.1f});
        assertArrayEquals(new float[] {0.1f}, f32.toFloatArray(), "f32 is left alone");
    }
}
