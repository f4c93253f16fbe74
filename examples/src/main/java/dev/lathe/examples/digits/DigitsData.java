package dev.lathe.examples.digits;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The UCI handwritten-digits rows (examples/digits/data/digits.csv.gz, see the README there for
 * the attribution) and the fixed train/test split of the digits example.
 *
 * <p>Each row is 64 pixels of an 8x8 image, integers 0..16 in row-major order, then the label
 * 0..9. Rows are numbered from 0 in file order.
 *
 * <p>The split is stratified and needs no random numbers: for each class, its rows are taken in
 * file order and numbered k = 0, 1, 2, ... within the class; the row goes to the test set when
 * {@code k % 5 == 4} (every 5th row of each class), to the training set otherwise. Both sets keep
 * file order. On the 1,797 rows this gives 355 test rows (floor(n/5) of each class's n rows) and
 * 1,442 training rows.
 *
 * @param pixels one row of 64 pixel values per example
 * @param labels the class of each row, 0..9
 */
public record DigitsData(int[][] pixels, int[] labels) {
    public static final int PIXELS = 64;
    public static final int CLASSES = 10;
    public static final int MAX_PIXEL = 16;
    /** Every {@code TEST_EVERY}-th row of each class (the last of each group) is a test row. */
    public static final int TEST_EVERY = 5;

    public DigitsData {
        if (pixels.length != labels.length) throw new IllegalArgumentException(pixels.length + " pixel rows but " + labels.length + " labels");
    }

    public int rows() { return labels.length; }

    /** Reads the gzip-compressed CSV, checking every row: 65 integers, pixels in 0..16, label in 0..9. */
    public static DigitsData read(Path csvGz) throws IOException {
        try (InputStream in = Files.newInputStream(csvGz)) {
            return read(in, csvGz.toString());
        }
    }

    static DigitsData read(InputStream gz, String name) throws IOException {
        List<int[]> pixels = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(gz), StandardCharsets.US_ASCII))) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                String[] f = line.trim().split(",", -1);
                if (f.length != PIXELS + 1) throw new IOException(name + ":" + lineNo + ": expected " + (PIXELS + 1) + " fields, got " + f.length);
                int[] row = new int[PIXELS];
                for (int i = 0; i < PIXELS; i++) row[i] = field(f[i], 0, MAX_PIXEL, name, lineNo);
                pixels.add(row);
                labels.add(field(f[PIXELS], 0, CLASSES - 1, name, lineNo));
            }
        }
        return new DigitsData(pixels.toArray(int[][]::new), labels.stream().mapToInt(Integer::intValue).toArray());
    }

    private static int field(String s, int min, int max, String name, int lineNo) throws IOException {
        int v;
        try {
            v = Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IOException(name + ":" + lineNo + ": not an integer: '" + s + "'");
        }
        if (v < min || v > max) throw new IOException(name + ":" + lineNo + ": " + v + " is outside " + min + ".." + max);
        return v;
    }

    /**
     * Whether each row is a test row, by the stratified rule of the class comment (every
     * {@link #TEST_EVERY}-th row of each class, counted in file order).
     */
    public static boolean[] testMask(int[] labels) {
        int[] seen = new int[CLASSES];
        boolean[] test = new boolean[labels.length];
        for (int r = 0; r < labels.length; r++) {
            int k = seen[labels[r]]++;
            test[r] = k % TEST_EVERY == TEST_EVERY - 1;
        }
        return test;
    }

    /** The row numbers of the training set, in file order. */
    public int[] trainRows() { return rows(false); }

    /** The row numbers of the test set, in file order. */
    public int[] testRows() { return rows(true); }

    private int[] rows(boolean wantTest) {
        boolean[] test = testMask(labels);
        int n = 0;
        for (boolean t : test) if (t == wantTest) n++;
        int[] out = new int[n];
        for (int r = 0, j = 0; r < test.length; r++) if (test[r] == wantTest) out[j++] = r;
        return out;
    }
}
