package dev.lathe.interp;

import static dev.lathe.interp.TestTensors.assertLongs;
import static dev.lathe.interp.TestTensors.assertTensor;
import static dev.lathe.interp.TestTensors.bool;
import static dev.lathe.interp.TestTensors.f32;
import static dev.lathe.interp.TestTensors.f64;
import static dev.lathe.interp.TestTensors.i64;
import static dev.lathe.interp.TestTensors.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import org.junit.jupiter.api.Test;

class ElementwiseOpsTest {
    private static final double EPS = 1e-6;

    @Test
    void addBroadcastsTrailingDims() {
        Tensor a = f32(shape(2, 3), 1, 2, 3, 4, 5, 6);
        Tensor b = f32(shape(3), 10, 20, 30);
        // Each row of a plus [10, 20, 30].
        assertTensor(ElementwiseOps.add(a, b), shape(2, 3), 0, 11, 22, 33, 14, 25, 36);
        assertTensor(ElementwiseOps.add(b, a), shape(2, 3), 0, 11, 22, 33, 14, 25, 36);
    }

    @Test
    void addBroadcastsBothOperands() {
        Tensor col = f32(shape(2, 1), 1, 2);
        Tensor row = f32(shape(1, 3), 10, 20, 30);
        // out[i][j] = col[i] + row[j]
        assertTensor(ElementwiseOps.add(col, row), shape(2, 3), 0, 11, 21, 31, 12, 22, 32);
    }

    @Test
    void scalarBroadcastsEverywhere() {
        Tensor two = f32(shape(), 2);
        assertTensor(ElementwiseOps.sub(f32(shape(2), 5, 7), two), shape(2), 0, 3, 5);
        assertTensor(ElementwiseOps.sub(two, f32(shape(2), 5, 7)), shape(2), 0, -3, -5);
    }

    @Test
    void incompatibleShapesAreRunTimeErrors() {
        var e = assertThrows(InterpreterException.class, () -> ElementwiseOps.add(f32(shape(2, 3), 1, 2, 3, 4, 5, 6), f32(shape(2), 1, 2)));
        assertTrue(e.getMessage().contains("add") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test
    void arithmetic() {
        Tensor a = f32(shape(2), 6, 8);
        Tensor b = f32(shape(2), 2, 4);
        assertTensor(ElementwiseOps.mul(a, b), shape(2), 0, 12, 32);
        assertTensor(ElementwiseOps.div(a, b), shape(2), 0, 3, 2);
        // 2^3 = 8, 3^2 = 9
        assertTensor(ElementwiseOps.pow(f32(shape(2), 2, 3), f32(shape(2), 3, 2)), shape(2), 0, 8, 9);
        assertTensor(ElementwiseOps.max(f32(shape(2), 1, 5), f32(shape(2), 3, 2)), shape(2), 0, 3, 5);
        assertTensor(ElementwiseOps.min(f32(shape(2), 1, 5), f32(shape(2), 3, 2)), shape(2), 0, 1, 2);
        assertTensor(ElementwiseOps.max(f32(shape(1), Double.NaN), f32(shape(1), 1)), shape(1), 0, Double.NaN);
    }

    @Test
    void integerArithmeticIsExactAndTruncates() {
        // 2^53 + 1 is not a double; long arithmetic keeps it.
        assertLongs(ElementwiseOps.add(i64(shape(1), 1L << 53), i64(shape(1), 1)), DType.I64, shape(1), (1L << 53) + 1);
        // 7 / 2 = 3.5 -> 3; -7 / 2 = -3.5 -> -3 (toward zero, not floor)
        assertLongs(ElementwiseOps.div(i64(shape(2), 7, -7), i64(shape(), 2)), DType.I64, shape(2), 3, -3);
        assertThrows(InterpreterException.class, () -> ElementwiseOps.div(i64(shape(1), 1), i64(shape(1), 0)));
        // i8: 100 + 100 = 200 wraps to 200 - 256 = -56
        Tensor hundred = Tensor.ofLongs(DType.I8, shape(1), new long[] {100});
        assertLongs(ElementwiseOps.add(hundred, hundred), DType.I8, shape(1), -56);
        assertLongs(ElementwiseOps.neg(i64(shape(2), 3, -4)), DType.I64, shape(2), -3, 4);
        assertLongs(ElementwiseOps.abs(i64(shape(2), 3, -4)), DType.I64, shape(2), 3, 4);
    }

    @Test
    void operandsMustShareDtype() {
        assertThrows(IllegalArgumentException.class, () -> ElementwiseOps.add(f32(shape(1), 1), f64(shape(1), 1)));
    }

    @Test
    void unaryMath() {
        Tensor x = f64(shape(3), -1, 0, 2);
        assertTensor(ElementwiseOps.neg(x), shape(3), 0, 1, 0, -2);
        assertTensor(ElementwiseOps.abs(x), shape(3), 0, 1, 0, 2);
        assertTensor(ElementwiseOps.relu(x), shape(3), 0, 0, 0, 2);
        assertTensor(ElementwiseOps.exp(f64(shape(2), 0, 1)), shape(2), 1e-15, 1, Math.E);
        assertTensor(ElementwiseOps.log(f64(shape(2), 1, Math.E)), shape(2), 1e-15, 0, 1);
        assertTensor(ElementwiseOps.sqrt(f64(shape(2), 4, 9)), shape(2), 0, 2, 3);
        assertTensor(ElementwiseOps.rsqrt(f64(shape(2), 4, 0.25)), shape(2), 0, 0.5, 2);
        // tanh(1) = (e^2 - 1) / (e^2 + 1) = 0.7615941559557649
        assertTensor(ElementwiseOps.tanh(f64(shape(2), 0, 1)), shape(2), 1e-15, 0, 0.7615941559557649);
    }

    @Test
    void sigmoidFamilyIsStableAtTheExtremes() {
        // sigmoid(2) = 1 / (1 + e^-2) = 0.8807970779778823; +-1000 saturate without NaN.
        assertTensor(ElementwiseOps.sigmoid(f64(shape(4), 0, 2, -1000, 1000)), shape(4), 1e-15, 0.5, 0.8807970779778823, 0, 1);
        // silu(1) = 1 * sigmoid(1) = 1 / (1 + e^-1) = 0.7310585786300049; silu(0) = 0
        assertTensor(ElementwiseOps.silu(f64(shape(2), 1, 0)), shape(2), 1e-15, 0.7310585786300049, 0);
        // softplus(0) = ln 2; softplus(1000) = 1000 + log1p(e^-1000) = 1000; softplus(-1000) = e^-1000 = 0 in double
        assertTensor(ElementwiseOps.softplus(f64(shape(3), 0, 1000, -1000)), shape(3), 1e-15, Math.log(2), 1000, 0);
    }

    @Test
    void erfAndGeluAtKnownPoints() {
        assertTensor(ElementwiseOps.erf(f64(shape(3), 1, -0.5, 0)), shape(3), 1e-15, 0.8427007929497149, -0.5204998778130465, 0);
        // gelu(1) = 0.5 * (1 + erf(1 / sqrt 2)) = 0.5 * (1 + 0.6826894921370859) = 0.8413447460685429
        // gelu(-1) = -0.5 * (1 - 0.6826894921370859) = -0.15865525393145707
        assertTensor(ElementwiseOps.gelu(f64(shape(3), 1, -1, 0), "erf"), shape(3), 1e-15, 0.8413447460685429, -0.15865525393145707, 0);
        // tanh form at 1: 0.5 * (1 + tanh(sqrt(2/pi) * 1.044715)) = 0.5 * (1 + tanh(0.8335598...)) = 0.8411919906082768
        assertTensor(ElementwiseOps.gelu(f64(shape(1), 1), "tanh"), shape(1), 1e-12, 0.8411919906082768);
        // The two forms differ by under 1e-3 near 1: 0.84134 vs 0.84119.
        assertThrows(IllegalArgumentException.class, () -> ElementwiseOps.gelu(f64(shape(1), 1), "exact"));
    }

    @Test
    void f32ResultsAreTheDoubleResultRoundedOnce() {
        // gelu(1) in double is 0.8413447460685429; the f32 result is that value rounded to float.
        Tensor y = ElementwiseOps.gelu(f32(shape(1), 1), "erf");
        assertEquals(DType.F32, y.dtype());
        assertEquals((float) 0.8413447460685429, ((float[]) y.unsafeData())[0]);
    }

    @Test
    void leakyReluAndClip() {
        // -2 * 0.1 = -0.2; positives pass
        assertTensor(ElementwiseOps.leakyRelu(f64(shape(3), -2, 0, 3), 0.1), shape(3), 1e-15, -0.2, 0, 3);
        assertTensor(ElementwiseOps.clip(f64(shape(3), -2, 0.5, 3), -1.0, 1.0), shape(3), 0, -1, 0.5, 1);
        assertTensor(ElementwiseOps.clip(f64(shape(2), -2, 5), 0.0, null), shape(2), 0, 0, 5);
        assertTensor(ElementwiseOps.clip(f64(shape(2), -2, 5), null, 1.0), shape(2), 0, -2, 1);
    }

    @Test
    void whereBroadcastsAllThree() {
        Tensor cond = bool(shape(2), true, false);
        Tensor a = f32(shape(2, 2), 1, 2, 3, 4);
        Tensor b = f32(shape(), 0);
        // cond picks column 0 from a, column 1 from b
        assertTensor(ElementwiseOps.where(cond, a, b), shape(2, 2), 0, 1, 0, 3, 0);
        // Integers are moved exactly.
        assertLongs(ElementwiseOps.where(bool(shape(1), true), i64(shape(1), (1L << 53) + 1), i64(shape(1), 0)), DType.I64, shape(1), (1L << 53) + 1);
    }

    @Test
    void comparisonsGiveBool() {
        Tensor a = f32(shape(4), 1, 2, 3, Double.NaN);
        Tensor two = f32(shape(), 2);
        assertLongs(ElementwiseOps.equal(a, two), DType.BOOL, shape(4), 0, 1, 0, 0);
        assertLongs(ElementwiseOps.less(a, two), DType.BOOL, shape(4), 1, 0, 0, 0);
        assertLongs(ElementwiseOps.greater(a, two), DType.BOOL, shape(4), 0, 0, 1, 0);
        // Large longs that are equal as doubles still compare exactly.
        assertLongs(ElementwiseOps.less(i64(shape(1), 1L << 53), i64(shape(1), (1L << 53) + 1)), DType.BOOL, shape(1), 1);
    }
}
