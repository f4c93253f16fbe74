package dev.lathe.interp;

import static dev.lathe.interp.TestTensors.assertTensor;
import static dev.lathe.interp.TestTensors.f32;
import static dev.lathe.interp.TestTensors.shape;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lathe.runtime.Tensor;
import org.junit.jupiter.api.Test;

class LinalgOpsTest {
    @Test
    void matmulOfMatrices() {
        // [[1,2],[3,4]] @ [[5,6],[7,8]] = [[1*5+2*7, 1*6+2*8], [3*5+4*7, 3*6+4*8]] = [[19,22],[43,50]]
        assertTensor(LinalgOps.matmul(f32(shape(2, 2), 1, 2, 3, 4), f32(shape(2, 2), 5, 6, 7, 8)), shape(2, 2), 0, 19, 22, 43, 50);
        // [[1,2,3],[4,5,6]] @ [[7,8],[9,10],[11,12]]: 7+18+33=58, 8+20+36=64, 28+45+66=139, 32+50+72=154
        assertTensor(LinalgOps.matmul(f32(shape(2, 3), 1, 2, 3, 4, 5, 6), f32(shape(3, 2), 7, 8, 9, 10, 11, 12)),
                shape(2, 2), 0, 58, 64, 139, 154);
    }

    @Test
    void oneDimensionalOperandsArePromotedAndTheDimRemoved() {
        Tensor m = f32(shape(2, 2), 1, 2, 3, 4);
        // [1,2] @ m = [1+6, 2+8] = [7, 10]
        assertTensor(LinalgOps.matmul(f32(shape(2), 1, 2), m), shape(2), 0, 7, 10);
        // m @ [1,1] = [1+2, 3+4] = [3, 7]
        assertTensor(LinalgOps.matmul(m, f32(shape(2), 1, 1)), shape(2), 0, 3, 7);
        // dot product: 4 + 10 + 18 = 32, a scalar
        assertTensor(LinalgOps.matmul(f32(shape(3), 1, 2, 3), f32(shape(3), 4, 5, 6)), shape(), 0, 32);
        // [2] @ [2, 2, 2]: the vector multiplies each batch matrix; result [2, 2]
        Tensor batch = f32(shape(2, 2, 2), 1, 0, 0, 1, 2, 0, 0, 2);
        assertTensor(LinalgOps.matmul(f32(shape(2), 3, 4), batch), shape(2, 2), 0, 3, 4, 6, 8);
    }

    @Test
    void batchDimsBroadcast() {
        // a: batch of [I, 2I]; b: one matrix shared by both batches -> [b, 2b]
        Tensor a = f32(shape(2, 2, 2), 1, 0, 0, 1, 2, 0, 0, 2);
        Tensor b = f32(shape(2, 2), 1, 2, 3, 4);
        assertTensor(LinalgOps.matmul(a, b), shape(2, 2, 2), 0, 1, 2, 3, 4, 2, 4, 6, 8);
        // [2,1,1,2] @ [3,2,1]: batch dims [2,1] and [3] broadcast to [2,3]
        Tensor x = f32(shape(2, 1, 1, 2), 1, 1, 10, 10);
        Tensor y = f32(shape(3, 2, 1), 1, 2, 3, 4, 5, 6);
        // x[i] . y[j] = s_i * (y[j][0] + y[j][1]) with s = [1, 10]; y sums = [3, 7, 11]
        assertTensor(LinalgOps.matmul(x, y), shape(2, 3, 1, 1), 0, 3, 7, 11, 30, 70, 110);
    }

    @Test
    void matmulRejectsMismatchedInnerDims() {
        assertThrows(InterpreterException.class, () -> LinalgOps.matmul(f32(shape(2, 3), 1, 2, 3, 4, 5, 6), f32(shape(2, 2), 1, 2, 3, 4)));
    }

    @Test
    void linearIsXTimesWTransposedPlusBias() {
        Tensor x = f32(shape(2, 3), 1, 2, 3, 4, 5, 6);
        Tensor w = f32(shape(2, 3), 1, 0, 1, 0, 1, 0);
        // row 0: [1+3, 2] + [10, 20] = [14, 22]; row 1: [4+6, 5] + [10, 20] = [20, 25]
        assertTensor(LinalgOps.linear(x, w, f32(shape(2), 10, 20)), shape(2, 2), 0, 14, 22, 20, 25);
        assertTensor(LinalgOps.linear(x, w, null), shape(2, 2), 0, 4, 2, 10, 5);
        // Leading dims are kept: [2, 1, 3] -> [2, 1, 2]
        assertTensor(LinalgOps.linear(x.reshape(shape(2, 1, 3)), w, null), shape(2, 1, 2), 0, 4, 2, 10, 5);
        assertThrows(InterpreterException.class, () -> LinalgOps.linear(x, f32(shape(2, 2), 1, 2, 3, 4), null));
    }
}
