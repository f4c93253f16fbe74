package dev.lathe.interp;

import static dev.lathe.interp.TestTensors.assertTensor;
import static dev.lathe.interp.TestTensors.f32;
import static dev.lathe.interp.TestTensors.shape;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lathe.runtime.Tensor;
import org.junit.jupiter.api.Test;

class LowRankLinearOpsTest {
    @Test
    void computesXThroughBothFactorsPlusTheBias() {
        Tensor x = f32(shape(2, 2), 1, 2, -1, 0);
        Tensor a = f32(shape(1, 2), 1, 1);          // [r = 1, in = 2]
        Tensor b = f32(shape(3, 1), 2, 3, -1);      // [out = 3, r = 1]
        Tensor bias = f32(shape(3), 0.5, -1, 0);
        // row 0: a x = 3 -> [6.5, 8, -3]; row 1: a x = -1 -> [-1.5, -4, 1]
        assertTensor(LinalgOps.lowRankLinear(x, a, b, bias), shape(2, 3), 0, 6.5, 8, -3, -1.5, -4, 1);
        assertTensor(LinalgOps.lowRankLinear(x, a, b, null), shape(2, 3), 0, 6, 9, -3, -2, -3, 1);
    }

    @Test
    void keepsLeadingDimsAndAgreesWithTheDenseProduct() {
        Tensor x = f32(shape(2, 1, 3), 1, 2, 3, 4, 5, 6);
        Tensor a = f32(shape(2, 3), 1, 0, 1, 0, 1, -1);
        Tensor b = f32(shape(2, 2), 1, 2, 3, 4);
        // W = b a = [[1, 2, -1], [3, 4, -1]]
        Tensor w = f32(shape(2, 3), 1, 2, -1, 3, 4, -1);
        Tensor dense = LinalgOps.linear(x, w, null);
        assertTensor(LinalgOps.lowRankLinear(x, a, b, null), shape(2, 1, 2), 0, dense.toDoubleArray());
    }

    @Test
    void rejectsFactorsThatDoNotChain() {
        assertThrows(InterpreterException.class, () -> LinalgOps.lowRankLinear(f32(shape(1, 2), 1, 2), f32(shape(1, 3), 1, 1, 1), f32(shape(2, 1), 1, 1), null));
    }
}
