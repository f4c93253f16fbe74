package dev.lathe.interp;

/** Axis arguments as ops take them: negative axes count from the end, as in numpy and ONNX. */
final class Axes {
    private Axes() {}

    /** {@code axis} in {@code [-rank, rank)} as an index in {@code [0, rank)}. */
    static int normalize(String op, long axis, int rank) {
        if (axis < -rank || axis >= rank) {
            throw new InterpreterException(op + ": axis " + axis + " is out of range for rank " + rank);
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }

    /** Each axis normalized; a repeated axis is an error, since it would mean the op twice. */
    static boolean[] mask(String op, int[] axes, int rank) {
        boolean[] mask = new boolean[rank];
        for (int a : axes) {
            int n = normalize(op, a, rank);
            if (mask[n]) throw new InterpreterException(op + ": axis " + a + " is given twice");
            mask[n] = true;
        }
        return mask;
    }

    /** Product of {@code shape[from..to)}. */
    static int product(long[] shape, int from, int to) {
        long n = 1;
        for (int i = from; i < to; i++) n *= shape[i];
        return Math.toIntExact(n);
    }
}
