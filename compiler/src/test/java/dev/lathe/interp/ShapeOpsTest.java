package dev.lathe.interp;

import static dev.lathe.interp.TestTensors.assertLongs;
import static dev.lathe.interp.TestTensors.assertTensor;
import static dev.lathe.interp.TestTensors.f32;
import static dev.lathe.interp.TestTensors.i64;
import static dev.lathe.interp.TestTensors.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShapeOpsTest {
    /** [[1,2,3],[4,5,6]] */
    private static final Tensor X = f32(shape(2, 3), 1, 2, 3, 4, 5, 6);
    private static final Tensor RANGE5 = f32(shape(5), 0, 1, 2, 3, 4);

    @Test
    void reshapeInfersOneDimAndCopiesZeros() {
        assertTensor(ShapeOps.reshape(X, shape(3, -1)), shape(3, 2), 0, 1, 2, 3, 4, 5, 6);
        // 0 copies dim 0 (2); -1 is 6 / 2 = 3
        assertTensor(ShapeOps.reshape(X, shape(0, -1)), shape(2, 3), 0, 1, 2, 3, 4, 5, 6);
        assertTensor(ShapeOps.reshape(X, shape(6)), shape(6), 0, 1, 2, 3, 4, 5, 6);
    }

    @Test
    void reshapeSizeMismatchIsARunTimeError() {
        var e = assertThrows(InterpreterException.class, () -> ShapeOps.reshape(X, shape(4)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
        assertThrows(InterpreterException.class, () -> ShapeOps.reshape(X, shape(-1, -1)));
        assertThrows(InterpreterException.class, () -> ShapeOps.reshape(X, shape(4, -1)));
        assertThrows(InterpreterException.class, () -> ShapeOps.reshape(X, shape(-2, 3)));
    }

    @Test
    void transposeMovesDims() {
        // out[j][i] = x[i][j]
        assertTensor(ShapeOps.transpose(X, new int[] {1, 0}), shape(3, 2), 0, 1, 4, 2, 5, 3, 6);
        assertTensor(ShapeOps.transpose(X, new int[] {}), shape(3, 2), 0, 1, 4, 2, 5, 3, 6);
        // x[i,j,k] = 4i + 2j + k, perm [1,0,2]: out[j,i,k] = x[i,j,k]
        // out in order (j,i,k): x000 x001 x100 x101 x010 x011 x110 x111 = 0 1 4 5 2 3 6 7
        Tensor x3 = f32(shape(2, 2, 2), 0, 1, 2, 3, 4, 5, 6, 7);
        assertTensor(ShapeOps.transpose(x3, new int[] {1, 0, 2}), shape(2, 2, 2), 0, 0, 1, 4, 5, 2, 3, 6, 7);
        // empty perm reverses: out[k,j,i] = x[i,j,k]: 0 4 2 6 1 5 3 7
        assertTensor(ShapeOps.transpose(x3, new int[] {}), shape(2, 2, 2), 0, 0, 4, 2, 6, 1, 5, 3, 7);
        assertThrows(InterpreterException.class, () -> ShapeOps.transpose(X, new int[] {0, 0}));
    }

    @Test
    void flatten() {
        Tensor x = f32(shape(2, 3, 2), new double[12]);
        assertTensor(ShapeOps.flatten(x, 1), shape(2, 6), 0, new double[12]);
        assertTensor(ShapeOps.flatten(x, 0), shape(1, 12), 0, new double[12]);
        assertTensor(ShapeOps.flatten(x, -1), shape(6, 2), 0, new double[12]);
        assertTensor(ShapeOps.flatten(x, 3), shape(12, 1), 0, new double[12]);
        assertThrows(InterpreterException.class, () -> ShapeOps.flatten(x, 4));
    }

    @Test
    void concatAlongEachAxis() {
        Tensor a = f32(shape(1, 2), 1, 2);
        Tensor b = f32(shape(2, 2), 3, 4, 5, 6);
        assertTensor(ShapeOps.concat(List.of(a, b), 0), shape(3, 2), 0, 1, 2, 3, 4, 5, 6);
        Tensor c = f32(shape(2, 1), 1, 2);
        // row 0: [1] + [3, 4]; row 1: [2] + [5, 6]
        assertTensor(ShapeOps.concat(List.of(c, b), 1), shape(2, 3), 0, 1, 3, 4, 2, 5, 6);
        assertTensor(ShapeOps.concat(List.of(c, b, c), -1), shape(2, 4), 0, 1, 3, 4, 1, 2, 5, 6, 2);
        assertThrows(InterpreterException.class, () -> ShapeOps.concat(List.of(a, c), 0));
    }

    @Test
    void splitBySizesAndParts() {
        List<Tensor> bySizes = ShapeOps.split(X, shape(1, 2), 1);
        assertEquals(2, bySizes.size());
        assertTensor(bySizes.get(0), shape(2, 1), 0, 1, 4);
        assertTensor(bySizes.get(1), shape(2, 2), 0, 2, 3, 5, 6);
        List<Tensor> halves = ShapeOps.splitParts(X, 2, 0);
        assertTensor(halves.get(0), shape(1, 3), 0, 1, 2, 3);
        assertTensor(halves.get(1), shape(1, 3), 0, 4, 5, 6);
        List<Tensor> thirds = ShapeOps.splitParts(X, 3, -1);
        assertTensor(thirds.get(2), shape(2, 1), 0, 3, 6);
        assertThrows(InterpreterException.class, () -> ShapeOps.splitParts(X, 2, 1));
        assertThrows(InterpreterException.class, () -> ShapeOps.split(X, shape(1, 1), 1));
    }

    @Test
    void sliceClampsLikeOnnx() {
        assertTensor(ShapeOps.slice(RANGE5, 0, 1, 3, 1), shape(2), 0, 1, 2);
        // -2 -> 3; end 100 clamps to 5
        assertTensor(ShapeOps.slice(RANGE5, 0, -2, 100, 1), shape(2), 0, 3, 4);
        // -100 -> -95 clamps to 0
        assertTensor(ShapeOps.slice(RANGE5, 0, -100, 2, 1), shape(2), 0, 0, 1);
        // 0, 2, 4
        assertTensor(ShapeOps.slice(RANGE5, 0, 0, 5, 2), shape(3), 0, 0, 2, 4);
        // start > end with a positive step: empty
        assertTensor(ShapeOps.slice(RANGE5, 0, 3, 1, 1), shape(0), 0);
        assertThrows(InterpreterException.class, () -> ShapeOps.slice(RANGE5, 0, 0, 5, 0));
    }

    @Test
    void sliceWithNegativeStep() {
        // start -1 -> 4; end Long.MIN_VALUE clamps to -1, "through index 0": 4 3 2 1 0
        assertTensor(ShapeOps.slice(RANGE5, 0, -1, Long.MIN_VALUE, -1), shape(5), 0, 4, 3, 2, 1, 0);
        // start 10 clamps to 4; end -6 -> -1 (already the lowest): 4 3 2 1 0
        assertTensor(ShapeOps.slice(RANGE5, 0, 10, -6, -1), shape(5), 0, 4, 3, 2, 1, 0);
        // 3, 1 (end 0 excluded)
        assertTensor(ShapeOps.slice(RANGE5, 0, 3, 0, -2), shape(2), 0, 3, 1);
    }

    @Test
    void sliceAnInnerAxis() {
        // columns 1..3 of [[1,2,3],[4,5,6]]
        assertTensor(ShapeOps.slice(X, 1, 1, 3, 1), shape(2, 2), 0, 2, 3, 5, 6);
        assertTensor(ShapeOps.slice(X, -1, 2, 0, -1), shape(2, 2), 0, 3, 2, 6, 5);
    }

    @Test
    void squeezeAndUnsqueeze() {
        Tensor x = f32(shape(1, 2, 1), 7, 8);
        assertTensor(ShapeOps.squeeze(x, new int[] {0}), shape(2, 1), 0, 7, 8);
        assertTensor(ShapeOps.squeeze(x, new int[] {-1}), shape(1, 2), 0, 7, 8);
        assertTensor(ShapeOps.squeeze(x, new int[] {}), shape(2), 0, 7, 8);
        assertThrows(InterpreterException.class, () -> ShapeOps.squeeze(x, new int[] {1}));
        Tensor v = f32(shape(2), 7, 8);
        assertTensor(ShapeOps.unsqueeze(v, new int[] {0}), shape(1, 2), 0, 7, 8);
        assertTensor(ShapeOps.unsqueeze(v, new int[] {-1}), shape(2, 1), 0, 7, 8);
        // axes index the result of rank 3: dims 0 and 2 are new
        assertTensor(ShapeOps.unsqueeze(v, new int[] {0, 2}), shape(1, 2, 1), 0, 7, 8);
        assertThrows(InterpreterException.class, () -> ShapeOps.unsqueeze(v, new int[] {2}));
    }

    @Test
    void gatherPicksAlongAnAxis() {
        Tensor x = f32(shape(3, 2), 1, 2, 3, 4, 5, 6);
        // rows 2 and 0
        assertTensor(ShapeOps.gather(x, i64(shape(2), 2, 0), 0), shape(2, 2), 0, 5, 6, 1, 2);
        // -1 is the last row
        assertTensor(ShapeOps.gather(x, i64(shape(1), -1), 0), shape(1, 2), 0, 5, 6);
        // a scalar index removes the axis: column 1 -> [2, 4, 6]
        assertTensor(ShapeOps.gather(x, i64(shape(), 1), 1), shape(3), 0, 2, 4, 6);
        // a 2-D index on axis 1: out[i, a, b] = x[i, idx[a, b]] with idx = [[0,1],[1,0]]
        assertTensor(ShapeOps.gather(x, i64(shape(2, 2), 0, 1, 1, 0), 1), shape(3, 2, 2), 0, 1, 2, 2, 1, 3, 4, 4, 3, 5, 6, 6, 5);
        var e = assertThrows(InterpreterException.class, () -> ShapeOps.gather(x, i64(shape(1), 3), 0));
        assertTrue(e.getMessage().contains("index 3"), e.getMessage());
        assertThrows(InterpreterException.class, () -> ShapeOps.gather(x, i64(shape(1), -4), 0));
    }

    @Test
    void embeddingLooksUpRows() {
        Tensor table = f32(shape(3, 2), 1, 2, 3, 4, 5, 6);
        // [[0, 2], [1, 1]] -> rows [1,2] [5,6] [3,4] [3,4]
        assertTensor(ShapeOps.embedding(i64(shape(2, 2), 0, 2, 1, 1), table), shape(2, 2, 2), 0, 1, 2, 5, 6, 3, 4, 3, 4);
        assertThrows(InterpreterException.class, () -> ShapeOps.embedding(i64(shape(1), 3), table));
        assertThrows(InterpreterException.class, () -> ShapeOps.embedding(i64(shape(1), -1), table));
    }

    @Test
    void castConvertsLikeOnnx() {
        Tensor x = f32(shape(4), 1.7, -1.7, 0, 2.5);
        assertLongs(ShapeOps.cast(x, DType.I64), DType.I64, shape(4), 1, -1, 0, 2);
        assertLongs(ShapeOps.cast(x, DType.BOOL), DType.BOOL, shape(4), 1, 1, 0, 1);
        assertLongs(ShapeOps.cast(i64(shape(2), 200, -1), DType.I8), DType.I8, shape(2), -56, -1);
        assertLongs(ShapeOps.cast(i64(shape(2), 200, -1), DType.U8), DType.U8, shape(2), 200, 255);
        Tensor f = ShapeOps.cast(i64(shape(2), 3, -4), DType.F32);
        assertEquals(DType.F32, f.dtype());
        assertTensor(f, shape(2), 0, 3, -4);
        assertTensor(ShapeOps.cast(TestTensors.bool(shape(2), true, false), DType.F64), shape(2), 0, 1, 0);
        // f32 1 + 2^-11 (exact in f32) is a tie in f16 and rounds to even: 1
        assertTensor(ShapeOps.cast(f32(shape(1), 1 + Math.scalb(1.0, -11)), DType.F16), shape(1), 0, 1);
    }

    @Test
    void dataMovementIsExactForLargeIntegers() {
        long big = (1L << 53) + 1;
        Tensor x = i64(shape(2, 2), big, 1, 2, big + 2);
        assertLongs(ShapeOps.transpose(x, new int[] {}), DType.I64, shape(2, 2), big, 2, 1, big + 2);
        assertLongs(ShapeOps.gather(x, i64(shape(1), 1), 1), DType.I64, shape(2, 1), 1, big + 2);
        assertLongs(ShapeOps.concat(List.of(x, x), 0), DType.I64, shape(4, 2), big, 1, 2, big + 2, big, 1, 2, big + 2);
        assertLongs(ShapeOps.cast(x, DType.I32), DType.I32, shape(2, 2), 1, 1, 2, 3);
    }
}
