package dev.lathe.runtime.io;

import dev.lathe.runtime.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes safetensors files that {@link SafetensorsFile} and the reference implementation accept.
 * Tensors and their data appear in the map's iteration order; the header is padded with spaces so that
 * the data buffer starts at a multiple of 8 bytes, as the reference writer does.
 */
public final class SafetensorsWriter {
    private SafetensorsWriter() {}

    /**
     * Writes {@code tensors} and {@code metadata} (may be empty) to {@code path}, atomically.
     *
     * @throws IllegalArgumentException for a key named {@code __metadata__}, or an i4/u4 tensor (the
     *     format has no such dtype)
     */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<DiskType> types = new ArrayList<>(tensors.size());
        byte[] header = header(tensors, metadata, types);
        AtomicFiles.write(path, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            out.write(header);
            int i = 0;
            for (Tensor t : tensors.values()) types.get(i++).write(t, ByteOrder.LITTLE_ENDIAN, out);
        });
    }

    /** The padded header bytes; fills {@code types} with each tensor's element type, in map order. */
    static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata, List<DiskType> types) {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append(Json.quote(SafetensorsHeader.METADATA_KEY)).append(":{");
            String sep = "";
            for (Map.Entry<String, String> m : metadata.entrySet()) {
                json.append(sep).append(Json.quote(m.getKey())).append(':').append(Json.quote(m.getValue()));
                sep = ",";
            }
            json.append('}');
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String key = e.getKey();
            Tensor t = e.getValue();
            if (key.equals(SafetensorsHeader.METADATA_KEY)) {
                throw new IllegalArgumentException("\"__metadata__\" is reserved and cannot name a tensor");
            }
            DiskType type;
            try {
                type = DiskType.natural(t.dtype());
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("tensor '" + key + "': safetensors cannot store " + t.dtype().sourceName(), ex);
            }
            types.add(type);
            long end = offset + (long) t.size() * type.size;
            if (json.length() > 1) json.append(',');
            json.append(Json.quote(key)).append(":{\"dtype\":\"").append(type.name()).append("\",\"shape\":[");
            long[] shape = t.shape();
            for (int d = 0; d < shape.length; d++) json.append(d == 0 ? "" : ",").append(shape[d]);
            json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        json.append('}');
        byte[] raw = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (raw.length + 7) & ~7;
        byte[] header = new byte[padded];
        System.arraycopy(raw, 0, header, 0, raw.length);
        Arrays.fill(header, raw.length, padded, (byte) ' ');
        return header;
    }
}
