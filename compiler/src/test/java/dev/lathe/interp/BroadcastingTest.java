package dev.lathe.interp;

import static dev.lathe.interp.TestTensors.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BroadcastingTest {
    @Test
    void shapesAlignAtTheRight() {
        assertArrayEquals(shape(2, 4, 3), Broadcasting.shape("t", shape(2, 1, 3), shape(4, 1)));
        assertArrayEquals(shape(2), Broadcasting.shape("t", shape(), shape(2)));
        assertArrayEquals(shape(5, 0), Broadcasting.shape("t", shape(5, 1), shape(0)));
        assertArrayEquals(shape(2, 3), Broadcasting.shape("t", shape(2, 3), shape(2, 3), shape(1)));
        assertThrows(InterpreterException.class, () -> Broadcasting.shape("t", shape(2, 3), shape(2)));
    }

    @Test
    void stridesAreRowMajor() {
        // [2, 3, 4]: the last dim is contiguous, the middle steps over 4, the first over 3 * 4
        assertArrayEquals(new int[] {12, 4, 1}, Broadcasting.strides(shape(2, 3, 4)));
        assertArrayEquals(new int[] {}, Broadcasting.strides(shape()));
    }

    @Test
    void sourceIndicesRepeatStretchedDims() {
        // A row [3] repeated over 2 rows; a column [2, 1] repeated over 3 columns; a scalar everywhere.
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2}, Broadcasting.sourceIndices("t", shape(3), shape(2, 3)));
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1}, Broadcasting.sourceIndices("t", shape(2, 1), shape(2, 3)));
        assertArrayEquals(new int[] {0, 0}, Broadcasting.sourceIndices("t", shape(), shape(2)));
        // Broadcasting never shrinks the source.
        assertThrows(InterpreterException.class, () -> Broadcasting.sourceIndices("t", shape(2), shape(3)));
        assertThrows(InterpreterException.class, () -> Broadcasting.sourceIndices("t", shape(2, 3), shape(3)));
    }
}
