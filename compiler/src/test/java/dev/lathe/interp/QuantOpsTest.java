package dev.lathe.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lathe.ir.Node.QuantGranularity;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import org.junit.jupiter.api.Test;

/** quantized_linear's definition, by hand: dequantize with the scale and zero point of each (row, group), then linear. */
class QuantOpsTest {
    /** u4 [2, 4] with groups of 2: scales [[0.5, 2], [1, 0.25]], zero points [[8, 0], [3, 15]]. */
    private static final Tensor Q = Tensor.ofLongs(DType.U4, new long[] {2, 4}, new long[] {8, 10, 1, 3, 0, 3, 15, 13});
    private static final Tensor SCALES = Tensor.ofFloats(new long[] {2, 2}, new float[] {0.5f, 2, 1, 0.25f});
    private static final Tensor ZEROS = Tensor.ofLongs(DType.U4, new long[] {2, 2}, new long[] {8, 0, 3, 15});

    @Test
    void dequantizesEachGroupWithItsOwnScaleAndZeroPoint() {
        // row 0: (8 - 8) * 0.5, (10 - 8) * 0.5, (1 - 0) * 2, (3 - 0) * 2; row 1: (0 - 3) * 1, (3 - 3) * 1, (15 - 15) / 4, (13 - 15) / 4
        assertArrayEquals(new double[] {0, 1, 2, 6, -3, 0, 0, -0.5}, QuantOps.dequantize(Q, SCALES, ZEROS, QuantGranularity.GROUP, 2));
    }

    @Test
    void multipliesLikeALinearLayerWithTheDequantizedWeight() {
        Tensor x = Tensor.ofFloats(new long[] {1, 4}, new float[] {1, 2, 3, 4});
        Tensor bias = Tensor.ofFloats(new long[] {2}, new float[] {0.5f, -1});
        Tensor y = QuantOps.quantizedLinear(x, Q, SCALES, ZEROS, bias, QuantGranularity.GROUP, 2);
        // [0 + 2 + 6 + 24 + 0.5, -3 + 0 + 0 - 2 - 1]
        assertArrayEquals(new float[] {32.5f, -6}, y.toFloatArray());
        assertEquals(DType.F32, y.dtype());
    }

    @Test
    void aTensorScaleIsSharedByEveryRow() {
        Tensor q = Tensor.ofLongs(DType.I8, new long[] {2, 2}, new long[] {-127, 1, 64, 0});
        Tensor s = Tensor.ofFloats(new long[] {1, 1}, new float[] {0.25f});
        assertArrayEquals(new double[] {-31.75, 0.25, 16, 0}, QuantOps.dequantize(q, s, null, QuantGranularity.TENSOR, 2));
        assertThrows(InterpreterException.class, () -> QuantOps.dequantize(q, s, null, QuantGranularity.TENSOR, 1));
    }

    /**
     * DGQ by hand: i4 q [2, 4], groups of 2, group scales [[2, 16], [1, 3]], channel scales [0.5, 0.25];
     * x = [1, -2, 0.5, 127] has amax 127, so a = 1 and the int8 activations are [1, -2, 0 (rint 0.5), 127].
     */
    @Test
    void dgqQuantizesActivationsPerRowAndMultipliesInIntegers() {
        Tensor q = Tensor.ofLongs(DType.I4, new long[] {2, 4}, new long[] {1, -3, 7, -8, 0, 5, -1, 2});
        Tensor channel = Tensor.ofFloats(new long[] {2, 1}, new float[] {0.5f, 0.25f});
        Tensor groupScales = Tensor.ofLongs(DType.U8, new long[] {2, 2}, new long[] {2, 16, 1, 3});
        Tensor x = Tensor.ofFloats(new long[] {1, 4}, new float[] {1, -2, 0.5f, 127});
        Tensor bias = Tensor.ofFloats(new long[] {2}, new float[] {1, 0});
        // int8 weights: row 0 [2, -6, 112, -128], row 1 [0, 5, -3, 6]
        // row 0: 1*2 + (-2)(-6) + 0*112 + 127(-128) = -16242, * 1 * 0.5 + 1 = -8120
        // row 1: 0 - 10 + 0 + 762 = 752, * 1 * 0.25 = 188
        Tensor y = QuantOps.dgqLinear(x, q, channel, null, groupScales, bias, 2);
        assertArrayEquals(new float[] {-8120, 188}, y.toFloatArray());
        // a row of zeros gives the bias
        assertArrayEquals(new float[] {1, 0}, QuantOps.dgqLinear(Tensor.ofFloats(new long[] {1, 4}, new float[4]), q, channel, null, groupScales, bias, 2)
                .toFloatArray());
        // an int8 weight outside [-128, 127] is refused
        Tensor tooBig = Tensor.ofLongs(DType.U8, new long[] {2, 2}, new long[] {2, 17, 1, 3});
        assertThrows(InterpreterException.class, () -> QuantOps.dgqLinear(x, q, channel, null, tooBig, bias, 2));
    }
}
