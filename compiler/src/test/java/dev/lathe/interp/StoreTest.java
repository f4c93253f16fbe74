package dev.lathe.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.runtime.DType;
import org.junit.jupiter.api.Test;

class StoreTest {
    @Test
    void f16RoundsToNearestEven() {
        // f16 has 10 fraction bits: next to 1 are 1 + 2^-10 and 1 + 2^-9.
        double ulp = Math.scalb(1.0, -10);
        assertEquals(1.0, Store.round(DType.F16, 1 + ulp / 2), 0.0); // tie -> even (1)
        assertEquals(1 + 2 * ulp, Store.round(DType.F16, 1 + 1.5 * ulp), 0.0); // tie -> even (1 + 2^-9)
        assertEquals(1 + ulp, Store.round(DType.F16, 1 + 0.6 * ulp), 0.0);
        // 65504 is the largest f16; 65520 is halfway to 65536 and overflows.
        assertEquals(65504.0, Store.round(DType.F16, 65519), 0.0);
        assertEquals(Double.POSITIVE_INFINITY, Store.round(DType.F16, 65520), 0.0);
        // Smallest subnormal 2^-24; 2^-26 rounds to 0.
        assertEquals(Math.scalb(1.0, -24), Store.round(DType.F16, Math.scalb(1.0, -24)), 0.0);
        assertEquals(0.0, Store.round(DType.F16, Math.scalb(1.0, -26)), 0.0);
        assertEquals(-3.0, Store.round(DType.F16, -3.0), 0.0);
    }

    @Test
    void bf16KeepsEightSignificandBits() {
        double ulp = Math.scalb(1.0, -7);
        assertEquals(1.0, Store.round(DType.BF16, 1 + ulp / 2), 0.0); // tie -> even
        assertEquals(1 + 2 * ulp, Store.round(DType.BF16, 1 + 1.5 * ulp), 0.0);
        // 3.14159 = 1.5707963 * 2: significand bits 1.1001001 -> 3.140625 (= 201 / 64)
        assertEquals(3.140625, Store.round(DType.BF16, 3.14159), 0.0);
    }

    @Test
    void integersTruncateAndWrap() {
        assertEquals(-1.0, Store.round(DType.I64, -1.9), 0.0);
        assertEquals(-56.0, Store.round(DType.I8, 200), 0.0); // 200 - 256
        assertEquals(44.0, Store.round(DType.U8, 300), 0.0); // 300 - 256
        assertEquals(-8.0, Store.round(DType.I4, 8), 0.0); // 8 - 16
        assertEquals(15.0, Store.round(DType.U4, -1), 0.0); // -1 + 16
        assertEquals(0.0, Store.round(DType.I32, Double.NaN), 0.0);
        assertEquals(1.0, Store.round(DType.BOOL, -0.5), 0.0);
    }
}
