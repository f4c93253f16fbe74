package dev.lathe.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writer then reader is the identity (bitwise, by Tensor.equals); damaged files fail cleanly. */
class RoundTripPropertiesTest {
    private static final int EXAMPLES = 100;

    @TempDir Path dir;

    /** numpy has no bf16: the .npy writer widens it to f32, exactly. */
    private static Tensor afterNpy(Tensor t) {
        return t.dtype() == DType.BF16 ? Tensor.ofFloats(DType.F32, t.shape(), t.toFloatArray()) : t;
    }

    @Test
    void safetensorsRoundTrip() {
        Path p = dir.resolve("r.safetensors");
        qt().withExamples(EXAMPLES).forAll(RandomTensors.tensorMaps(false), RandomTensors.metadata()).checkAssert((tensors, metadata) -> {
            try {
                SafetensorsWriter.write(p, tensors, metadata);
                try (SafetensorsFile f = SafetensorsFile.open(p)) {
                    assertEquals(List.copyOf(tensors.keySet()), f.keys());
                    assertEquals(metadata, f.metadata());
                    for (var e : tensors.entrySet()) {
                        assertEquals(e.getValue(), f.read(e.getKey()));
                        assertEquals(e.getValue().dtype(), f.info(e.getKey()).dtype());
                        assertArrayEquals(e.getValue().shape(), f.info(e.getKey()).shape());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void npyRoundTrip() {
        Path p = dir.resolve("r.npy");
        qt().withExamples(EXAMPLES).forAll(RandomTensors.tensors()).checkAssert(t -> {
            try {
                Npy.write(p, t);
                assertEquals(afterNpy(t), Npy.read(p));
                byte[] image = Files.readAllBytes(p);
                assertEquals(afterNpy(t), Npy.read(new ByteArrayInputStream(image), "r.npy", NpyLimits.DEFAULT));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void npzRoundTrip() {
        Path p = dir.resolve("r.npz");
        qt().withExamples(EXAMPLES).forAll(RandomTensors.tensorMaps(true), integers().between(0, 1)).checkAssert((tensors, compressed) -> {
            try {
                if (compressed == 1) Npz.writeCompressed(p, tensors); else Npz.write(p, tensors);
                Map<String, Tensor> expected = new LinkedHashMap<>();
                tensors.forEach((k, t) -> expected.put(k, afterNpy(t)));
                Map<String, Tensor> read = Npz.read(p);
                assertEquals(List.copyOf(expected.keySet()), List.copyOf(read.keySet()));
                assertEquals(expected, read);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void safetensorsCutShortOrExtendedIsRejected() {
        Path good = dir.resolve("g.safetensors");
        Path bad = dir.resolve("b.safetensors");
        qt().withExamples(EXAMPLES).forAll(RandomTensors.tensorMaps(false), integers().between(0, 1_000_000), integers().between(1, 16))
                .checkAssert((tensors, cut, extra) -> {
                    try {
                        SafetensorsWriter.write(good, tensors, Map.of());
                        byte[] image = Files.readAllBytes(good);
                        Files.write(bad, Arrays.copyOf(image, cut % image.length));
                        assertThrows(WeightsFormatException.class, () -> SafetensorsFile.open(bad).close());
                        Files.write(bad, Arrays.copyOf(image, image.length + extra));
                        assertThrows(WeightsFormatException.class, () -> SafetensorsFile.open(bad).close());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    @Test
    void npyCutShortOrExtendedIsRejected() {
        Path p = dir.resolve("c.npy");
        qt().withExamples(EXAMPLES).forAll(RandomTensors.tensors(), integers().between(0, 1_000_000), integers().between(1, 16))
                .checkAssert((t, cut, extra) -> {
                    try {
                        Npy.write(p, t);
                        byte[] image = Files.readAllBytes(p);
                        Files.write(p, Arrays.copyOf(image, cut % image.length));
                        assertThrows(WeightsFormatException.class, () -> Npy.read(p));
                        Files.write(p, Arrays.copyOf(image, image.length + extra));
                        assertThrows(WeightsFormatException.class, () -> Npy.read(p));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /** Any corrupted header byte either still reads or fails with WeightsFormatException, never anything else. */
    @Test
    void corruptedHeadersFailCleanly() {
        Path st = dir.resolve("x.safetensors");
        Path np = dir.resolve("x.npy");
        qt().withExamples(EXAMPLES * 2)
                .forAll(RandomTensors.tensorMaps(false), integers().between(0, 1_000_000), integers().between(0, 255))
                .checkAssert((tensors, at, value) -> {
                    try {
                        SafetensorsWriter.write(st, tensors, Map.of());
                        byte[] image = Files.readAllBytes(st);
                        image[at % image.length] = (byte) (int) value;
                        Files.write(st, image);
                        try (SafetensorsFile f = SafetensorsFile.open(st)) {
                            for (String k : f.keys()) f.read(k);
                        } catch (WeightsFormatException expected) {
                            // the only acceptable failure
                        }
                        Tensor t = tensors.isEmpty() ? Tensor.scalar(1f) : tensors.values().iterator().next();
                        Npy.write(np, t);
                        byte[] npy = Files.readAllBytes(np);
                        npy[at % 128] = (byte) (int) value; // the header is 128 bytes or less for these shapes
                        Files.write(np, npy);
                        try {
                            Npy.read(np);
                        } catch (WeightsFormatException expected) {
                            // the only acceptable failure
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }
}
