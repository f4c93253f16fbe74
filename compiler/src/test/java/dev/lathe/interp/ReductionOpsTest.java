package dev.lathe.interp;

import static dev.lathe.interp.TestTensors.assertLongs;
import static dev.lathe.interp.TestTensors.assertTensor;
import static dev.lathe.interp.TestTensors.f32;
import static dev.lathe.interp.TestTensors.i64;
import static dev.lathe.interp.TestTensors.shape;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import org.junit.jupiter.api.Test;

class ReductionOpsTest {
    private static final Tensor X = f32(shape(2, 3), 1, 2, 3, 4, 5, 6);

    @Test
    void sumOverAxes() {
        // 1 + ... + 6 = 21
        assertTensor(ReductionOps.sum(X, new int[] {}, false), shape(), 0, 21);
        assertTensor(ReductionOps.sum(X, new int[] {}, true), shape(1, 1), 0, 21);
        // columns: 1+4, 2+5, 3+6
        assertTensor(ReductionOps.sum(X, new int[] {0}, false), shape(3), 0, 5, 7, 9);
        // rows: 1+2+3, 4+5+6
        assertTensor(ReductionOps.sum(X, new int[] {1}, true), shape(2, 1), 0, 6, 15);
        assertTensor(ReductionOps.sum(X, new int[] {-1}, false), shape(2), 0, 6, 15);
    }

    @Test
    void sumOverNonAdjacentAxes() {
        // x[i,j,k] = 4i + 2j + k; summing i and k leaves j: j=0: 0+1+4+5 = 10, j=1: 2+3+6+7 = 18
        Tensor x = f32(shape(2, 2, 2), 0, 1, 2, 3, 4, 5, 6, 7);
        assertTensor(ReductionOps.sum(x, new int[] {0, 2}, false), shape(2), 0, 10, 18);
        assertTensor(ReductionOps.sum(x, new int[] {2, -3}, true), shape(1, 2, 1), 0, 10, 18);
    }

    @Test
    void meanMaxMin() {
        assertTensor(ReductionOps.mean(X, new int[] {1}, false), shape(2), 0, 2, 5);
        assertTensor(ReductionOps.mean(X, new int[] {}, false), shape(), 0, 3.5);
        assertTensor(ReductionOps.max(X, new int[] {0}, false), shape(3), 0, 4, 5, 6);
        assertTensor(ReductionOps.min(X, new int[] {1}, false), shape(2), 0, 1, 4);
        assertTensor(ReductionOps.max(X, new int[] {}, true), shape(1, 1), 0, 6);
        assertTensor(ReductionOps.max(f32(shape(2), 1, Double.NaN), new int[] {}, false), shape(), 0, Double.NaN);
    }

    @Test
    void integerReductionsAreExact() {
        // (2^53 + 1) + 1 = 2^53 + 2, which a double sum would get as 2^53 (+1 lost, then +1 lost)
        assertLongs(ReductionOps.sum(i64(shape(2), (1L << 53) + 1, 1), new int[] {}, false), DType.I64, shape(), (1L << 53) + 2);
        // (7 + 8) / 2 = 7.5 -> 7
        assertLongs(ReductionOps.mean(i64(shape(2), 7, 8), new int[] {}, false), DType.I64, shape(), 7);
        assertLongs(ReductionOps.max(i64(shape(2), -5, -3), new int[] {0}, false), DType.I64, shape(), -3);
    }

    @Test
    void badAxesAreRejected() {
        assertThrows(InterpreterException.class, () -> ReductionOps.sum(X, new int[] {2}, false));
        assertThrows(InterpreterException.class, () -> ReductionOps.sum(X, new int[] {1, -1}, false));
    }

    @Test
    void argmaxTakesTheFirstOfTies() {
        Tensor x = f32(shape(2, 3), 1, 3, 3, 2, 2, 1);
        // row 0 [1,3,3] -> 1 (first 3); row 1 [2,2,1] -> 0 (first 2)
        assertLongs(ReductionOps.argmax(x, 1, false), DType.I64, shape(2), 1, 0);
        assertLongs(ReductionOps.argmax(x, -1, true), DType.I64, shape(2, 1), 1, 0);
        // columns: [1,2] -> 1, [3,2] -> 0, [3,1] -> 0
        assertLongs(ReductionOps.argmax(x, 0, false), DType.I64, shape(3), 1, 0, 0);
        // NaN counts as the largest, first one wins
        assertLongs(ReductionOps.argmax(f32(shape(3), 1, Double.NaN, Double.NaN), 0, false), DType.I64, shape(), 1);
        assertLongs(ReductionOps.argmax(i64(shape(3), (1L << 53) + 1, 1L << 53, 0), 0, false), DType.I64, shape(), 0);
        assertThrows(InterpreterException.class, () -> ReductionOps.argmax(x, 2, false));
    }
}
