package dev.lathe.examples.digits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The digits data file and the documented split (examples/digits/data/README.md). */
class DigitsDataTest {
    static DigitsData data;

    @BeforeAll
    static void read() throws IOException {
        // Surefire runs in the module folder (examples/).
        data = DigitsData.read(Path.of("digits/data/digits.csv.gz"));
    }

    @Test
    void theFileHasTheDocumentedRowsPerClass() {
        assertEquals(1797, data.rows());
        int[] perClass = new int[DigitsData.CLASSES];
        for (int y : data.labels()) perClass[y]++;
        assertArrayEquals(new int[] {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, perClass);
    }

    @Test
    void splitIsDisjointCoversAllRowsAndKeepsFileOrder() {
        int[] train = data.trainRows(), test = data.testRows();
        assertEquals(1442, train.length);
        assertEquals(355, test.length);
        boolean[] seen = new boolean[data.rows()];
        for (int[] part : new int[][] {train, test}) {
            for (int k = 0; k < part.length; k++) {
                assertFalse(seen[part[k]], "row " + part[k] + " is in both sets");
                seen[part[k]] = true;
                if (k > 0) assertTrue(part[k] > part[k - 1], "file order");
            }
        }
        for (int r = 0; r < seen.length; r++) assertTrue(seen[r], "row " + r + " is in neither set");
    }

    @Test
    void splitIsStratifiedEveryFifthRowOfEachClass() {
        boolean[] test = DigitsData.testMask(data.labels());
        int[] testPerClass = new int[DigitsData.CLASSES], perClass = new int[DigitsData.CLASSES];
        int[] lastTestPos = new int[DigitsData.CLASSES];
        java.util.Arrays.fill(lastTestPos, -1);
        for (int r = 0; r < test.length; r++) {
            int y = data.labels()[r];
            int k = perClass[y]++; // position of the row within its class
            if (test[r]) {
                testPerClass[y]++;
                assertEquals(lastTestPos[y] + 5, k, "class " + y + ": test rows are the 5th, 10th, ... of the class");
                lastTestPos[y] = k;
            }
        }
        for (int c = 0; c < DigitsData.CLASSES; c++) {
            assertEquals(perClass[c] / 5, testPerClass[c], "class " + c);
            assertTrue(perClass[c] - lastTestPos[c] <= 5, "class " + c + ": no test row missed at the end");
        }
        assertArrayEquals(new int[] {35, 36, 35, 36, 36, 36, 36, 35, 34, 36}, testPerClass);
    }

    @Test
    void testMaskCountsPositionsPerClassNotPerFile() {
        int[] labels = {0, 1, 0, 0, 1, 0, 0, 1, 1, 1, 0};
        boolean[] expected = {false, false, false, false, false, false, true, false, false, true, false};
        assertArrayEquals(expected, DigitsData.testMask(labels));
    }

    @Test
    void malformedRowsAreRejectedWithTheirLineNumber() throws IOException {
        String row = "0,".repeat(64);
        DigitsData ok = DigitsData.read(gz(row + "3\n" + row + "9\n"), "mem");
        assertArrayEquals(new int[] {3, 9}, ok.labels());
        IOException e = assertThrows(IOException.class, () -> DigitsData.read(gz(row + "3\n" + row + "10\n"), "mem"));
        assertTrue(e.getMessage().startsWith("mem:2: 10 is outside 0..9"), e.getMessage());
        e = assertThrows(IOException.class, () -> DigitsData.read(gz("17," + "0,".repeat(63) + "1\n"), "mem"));
        assertTrue(e.getMessage().contains("17 is outside 0..16"), e.getMessage());
        e = assertThrows(IOException.class, () -> DigitsData.read(gz("0,1,2\n"), "mem"));
        assertTrue(e.getMessage().contains("expected 65 fields, got 3"), e.getMessage());
        e = assertThrows(IOException.class, () -> DigitsData.read(gz(row + "x\n"), "mem"));
        assertTrue(e.getMessage().contains("not an integer: 'x'"), e.getMessage());
    }

    private static ByteArrayInputStream gz(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }
}
