package dev.lathe.runtime.kernels;

/** Argument checks shared by the facades, so a bad call fails before any output is written. */
final class Checks {
    private Checks() {}

    static void nonNegative(String what, int... values) {
        for (int v : values) if (v < 0) throw new IllegalArgumentException(what + ": sizes and offsets must be >= 0, got " + v);
    }

    /**
     * Checks that a {@code rows x cols} matrix at {@code off} with row stride {@code rs} and column
     * stride {@code cs} lies inside {@code array}.
     */
    static void matrix(String what, float[] array, int off, int rows, int cols, long rs, long cs) {
        if (array == null) throw new IllegalArgumentException(what + " must not be null");
        if (off < 0 || rs < 0 || cs < 0) throw new IllegalArgumentException(what + ": negative offset or stride");
        if (rows == 0 || cols == 0) return;
        long last = off + (rows - 1) * rs + (cols - 1) * cs;
        if (last >= array.length) {
            throw new IndexOutOfBoundsException(what + ": [" + rows + ", " + cols + "] at offset " + off + " with strides (" + rs + ", " + cs
                    + ") needs index " + last + ", array has " + array.length);
        }
    }

    static void vector(String what, float[] array, int off, int n) {
        matrix(what, array, off, 1, n, 0, 1);
    }

    static void leading(String what, int ld, int min, int rows) {
        if (rows > 1 && ld < min) throw new IllegalArgumentException(what + " = " + ld + " is less than the row length " + min);
    }

    static void epilogue(Epilogue ep, int m, int n) {
        if (ep == null) throw new IllegalArgumentException("epilogue must not be null (use Epilogue.NONE)");
        if (ep.bias() != null) vector("bias", ep.bias(), ep.biasOff(), n);
        if (ep.residual() != null) {
            leading("ldr", ep.ldr(), n, m);
            matrix("residual", ep.residual(), ep.resOff(), m, n, ep.ldr(), 1);
        }
    }

    static void par(Parallelism par) {
        if (par == null) throw new IllegalArgumentException("parallelism must not be null (use Parallelism.SERIAL)");
    }
}
