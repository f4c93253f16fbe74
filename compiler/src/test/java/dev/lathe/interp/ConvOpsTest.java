package dev.lathe.interp;

import static dev.lathe.interp.TestTensors.assertTensor;
import static dev.lathe.interp.TestTensors.f32;
import static dev.lathe.interp.TestTensors.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lathe.runtime.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConvOpsTest {
    /** 1x1x3x3: [[1,2,3],[4,5,6],[7,8,9]] */
    private static final Tensor X = f32(shape(1, 1, 3, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9);
    private static final Tensor ONES_2X2 = f32(shape(1, 1, 2, 2), 1, 1, 1, 1);
    private static final int[] ONE = {1, 1};
    private static final int[] NO_PADS = {0, 0, 0, 0};

    @Test
    void conv2dWithA2x2Kernel() {
        // kernel [[1,0],[0,1]] adds each window's diagonal: 1+5, 2+6, 4+8, 5+9
        Tensor w = f32(shape(1, 1, 2, 2), 1, 0, 0, 1);
        assertTensor(ConvOps.conv2d(X, w, null, ONE, NO_PADS, ONE, 1), shape(1, 1, 2, 2), 0, 6, 8, 12, 14);
        assertTensor(ConvOps.conv2d(X, w, f32(shape(1), 1), ONE, NO_PADS, ONE, 1), shape(1, 1, 2, 2), 0, 7, 9, 13, 15);
    }

    @Test
    void conv2dWithStrideAndPadding() {
        // pad 1 all round -> 5x5, stride 2 -> floor((5 - 2) / 2) + 1 = 2 per side. Windows (rows, cols):
        // (-1..0, -1..0) = {1}; (-1..0, 1..2) = {2,3}; (1..2, -1..0) = {4,7}; (1..2, 1..2) = {5,6,8,9}
        assertTensor(ConvOps.conv2d(X, ONES_2X2, null, new int[] {2, 2}, new int[] {1, 1, 1, 1}, ONE, 1), shape(1, 1, 2, 2), 0, 1, 5, 11, 28);
    }

    @Test
    void conv2dWithAsymmetricPadding() {
        // top 1 only: padded 4x3, out 3x2; row -1 is zeros so the first row sums only x's row 0:
        // [1+2, 2+3], [1+2+4+5, 2+3+5+6], [4+5+7+8, 5+6+8+9]
        assertTensor(ConvOps.conv2d(X, ONES_2X2, null, ONE, new int[] {1, 0, 0, 0}, ONE, 1), shape(1, 1, 3, 2), 0, 3, 5, 12, 16, 24, 28);
    }

    @Test
    void conv2dWithDilation() {
        // dilation 2 spreads the 2x2 kernel over the corners of the 3x3 input: 1 + 3 + 7 + 9
        assertTensor(ConvOps.conv2d(X, ONES_2X2, null, ONE, NO_PADS, new int[] {2, 2}, 1), shape(1, 1, 1, 1), 0, 20);
    }

    @Test
    void groupedAndDepthwiseConv() {
        // depthwise: 2 channels, 2 groups, one 1x1 filter each: ch0 * 10, ch1 * 100
        Tensor x = f32(shape(1, 2, 2, 2), 1, 2, 3, 4, 5, 6, 7, 8);
        Tensor w = f32(shape(2, 1, 1, 1), 10, 100);
        assertTensor(ConvOps.conv2d(x, w, null, ONE, NO_PADS, ONE, 2), shape(1, 2, 2, 2), 0, 10, 20, 30, 40, 500, 600, 700, 800);
        // 4 channels in 2 groups of 2: out0 = 1*x0 + 1*x1 = 3; out1 = 1*x2 - 1*x3 = -1
        Tensor x4 = f32(shape(1, 4, 1, 1), 1, 2, 3, 4);
        Tensor w2 = f32(shape(2, 2, 1, 1), 1, 1, 1, -1);
        assertTensor(ConvOps.conv2d(x4, w2, null, ONE, NO_PADS, ONE, 2), shape(1, 2, 1, 1), 0, 3, -1);
        // the same weights ungrouped would need 4 input channels per filter
        assertThrows(InterpreterException.class, () -> ConvOps.conv2d(x4, w2, null, ONE, NO_PADS, ONE, 1));
        // depthwise with multiplier 2: 1 channel, 1 group, 2 filters
        Tensor w12 = f32(shape(2, 1, 1, 1), 2, 3);
        assertTensor(ConvOps.conv2d(f32(shape(1, 1, 1, 1), 5), w12, null, ONE, NO_PADS, ONE, 1), shape(1, 2, 1, 1), 0, 10, 15);
    }

    @Test
    void convBatchesAreIndependent() {
        Tensor x = f32(shape(2, 1, 1, 2), 1, 2, 3, 4);
        Tensor w = f32(shape(1, 1, 1, 2), 1, 10);
        // batch 0: 1 + 20 = 21; batch 1: 3 + 40 = 43
        assertTensor(ConvOps.conv2d(x, w, null, ONE, NO_PADS, ONE, 1), shape(2, 1, 1, 1), 0, 21, 43);
    }

    @Test
    void maxPool() {
        Tensor x = f32(shape(1, 1, 4, 4), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
        // 2x2 windows, stride defaults to the kernel: max of {1,2,5,6}, {3,4,7,8}, {9,10,13,14}, {11,12,15,16}
        assertTensor(ConvOps.maxPool2d(x, new int[] {2, 2}, new int[] {2, 2}, NO_PADS), shape(1, 1, 2, 2), 0, 6, 8, 14, 16);
    }

    @Test
    void maxPoolIgnoresPadding() {
        // Negative inputs: if padding counted as 0 the corners would be 0.
        Tensor x = f32(shape(1, 1, 3, 3), -1, -2, -3, -4, -5, -6, -7, -8, -9);
        // windows as in conv2dWithStrideAndPadding: max{-1}, max{-2,-3}, max{-4,-7}, max{-5,-6,-8,-9}
        assertTensor(ConvOps.maxPool2d(x, new int[] {2, 2}, new int[] {2, 2}, new int[] {1, 1, 1, 1}), shape(1, 1, 2, 2), 0, -1, -2, -4, -5);
    }

    @Test
    void avgPoolCountsOnlyRealElements() {
        // same windows: {1} / 1, {2,3} / 2, {4,7} / 2, {5,6,8,9} / 4
        assertTensor(ConvOps.avgPool2d(X, new int[] {2, 2}, new int[] {2, 2}, new int[] {1, 1, 1, 1}), shape(1, 1, 2, 2), 0, 1, 2.5, 5.5, 7);
        Tensor x = f32(shape(1, 1, 4, 4), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
        // (1+2+5+6)/4, (3+4+7+8)/4, (9+10+13+14)/4, (11+12+15+16)/4
        assertTensor(ConvOps.avgPool2d(x, new int[] {2, 2}, new int[] {2, 2}, NO_PADS), shape(1, 1, 2, 2), 0, 3.5, 5.5, 11.5, 13.5);
        // stride 1 on 3x3: (1+2+4+5)/4 = 3, 4, 6, 7
        assertTensor(ConvOps.avgPool2d(X, new int[] {2, 2}, ONE, NO_PADS), shape(1, 1, 2, 2), 0, 3, 4, 6, 7);
    }

    @Test
    void globalAvgPool() {
        // channel means: (1+2+3+4)/4 = 2.5, (5+6+7+8)/4 = 6.5
        Tensor x = f32(shape(1, 2, 2, 2), 1, 2, 3, 4, 5, 6, 7, 8);
        assertTensor(ConvOps.globalAvgPool(x), shape(1, 2, 1, 1), 0, 2.5, 6.5);
    }

    @Test
    void windowsThatDoNotFitAreErrors() {
        Tensor w = f32(shape(1, 1, 4, 4), new double[16]);
        assertThrows(InterpreterException.class, () -> ConvOps.conv2d(X, w, null, ONE, NO_PADS, ONE, 1));
        assertThrows(InterpreterException.class, () -> ConvOps.conv2d(X, ONES_2X2, null, new int[] {0, 1}, NO_PADS, ONE, 1));
    }

    @Test
    void attributeForms() {
        assertArrayEquals(new int[] {3, 3}, ConvOps.pair("stride", List.of(3L)));
        assertArrayEquals(new int[] {1, 2}, ConvOps.pair("stride", List.of(1L, 2L)));
        assertArrayEquals(new int[] {1, 1, 1, 1}, ConvOps.pads(List.of(1L)));
        // [h, w] pads top and bottom by h, left and right by w
        assertArrayEquals(new int[] {1, 2, 1, 2}, ConvOps.pads(List.of(1L, 2L)));
        assertArrayEquals(new int[] {1, 2, 3, 4}, ConvOps.pads(List.of(1L, 2L, 3L, 4L)));
        assertThrows(IllegalArgumentException.class, () -> ConvOps.pads(List.of(1L, 2L, 3L)));
    }
}
