package dev.lathe.pass.sparsify;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Magnitude pruning masks of a weight W [rows, cols] (row-major, as doubles). Every mask keeps the
 * largest magnitudes; among equal magnitudes the lower flat index (the lower block index for
 * blocks) is kept, so a mask depends on the values alone and is deterministic.
 */
public final class Pruning {
    private Pruning() {}

    /** Unstructured: exactly {@code N - floor(s N)} of the N entries survive. */
    public static boolean[] unstructured(double[] w, double sparsity) {
        int n = w.length;
        int keep = n - (int) Math.floor(sparsity * n);
        boolean[] mask = new boolean[n];
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, byMagnitude(i -> Math.abs(w[i])));
        for (int i = 0; i < keep; i++) mask[order[i]] = true;
        return mask;
    }

    /** N:M: in every row, each aligned group of {@code m} columns keeps its {@code n} largest. */
    public static boolean[] nOfM(double[] w, int rows, int cols, int n, int m) {
        if (cols % m != 0) throw new IllegalArgumentException(cols + " columns are not a multiple of " + m);
        boolean[] mask = new boolean[w.length];
        Integer[] group = new Integer[m];
        for (int start = 0; start < w.length; start += m) {
            for (int j = 0; j < m; j++) group[j] = start + j;
            Arrays.sort(group, byMagnitude(i -> Math.abs(w[i])));
            for (int j = 0; j < n; j++) mask[group[j]] = true;
        }
        return mask;
    }

    /**
     * Blocks [br, bc] tiling the weight, ranked by Frobenius norm: exactly
     * {@code nb - floor(s nb)} of the nb blocks survive, whole.
     */
    public static boolean[] blocks(double[] w, int rows, int cols, int br, int bc, double sparsity) {
        if (rows % br != 0 || cols % bc != 0) throw new IllegalArgumentException("blocks " + br + "x" + bc + " do not tile " + rows + "x" + cols);
        int blockCols = cols / bc;
        int nb = rows / br * blockCols;
        double[] norm2 = new double[nb];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) norm2[(r / br) * blockCols + c / bc] += w[r * cols + c] * w[r * cols + c];
        }
        boolean[] keptBlock = unstructuredOn(norm2, nb - (int) Math.floor(sparsity * nb));
        boolean[] mask = new boolean[w.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) mask[r * cols + c] = keptBlock[(r / br) * blockCols + c / bc];
        }
        return mask;
    }

    private static boolean[] unstructuredOn(double[] score, int keep) {
        Integer[] order = IntStream.range(0, score.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, byMagnitude(i -> score[i]));
        boolean[] mask = new boolean[score.length];
        for (int i = 0; i < keep; i++) mask[order[i]] = true;
        return mask;
    }

    /** Larger magnitude first, then lower index. */
    private static Comparator<Integer> byMagnitude(java.util.function.IntToDoubleFunction magnitude) {
        return (a, b) -> {
            int c = Double.compare(magnitude.applyAsDouble(b), magnitude.applyAsDouble(a));
            return c != 0 ? c : Integer.compare(a, b);
        };
    }

    /** W with the entries outside the mask set to zero. */
    public static double[] apply(double[] w, boolean[] mask) {
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) out[i] = mask[i] ? w[i] : 0;
        return out;
    }

    /** {@code ||W - W_pruned||_F}: the Frobenius mass of the pruned entries. */
    public static double prunedMass(double[] w, boolean[] mask) {
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            if (!mask[i]) s += w[i] * w[i];
        }
        return Math.sqrt(s);
    }

    public static int count(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) n += b ? 1 : 0;
        return n;
    }
}
