package dev.lathe.runtime.io;

import dev.lathe.runtime.Tensor;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON header of a safetensors file, checked against every rule the reference implementation
 * (huggingface/safetensors, {@code SafeTensors::read_metadata} and {@code Metadata::validate}) applies:
 * valid UTF-8 JSON, {@code __metadata__} of strings, integer shapes and offsets without overflow,
 * tensors sorted by offset tiling the data buffer from 0 to its very end with no gap or overlap, and
 * each byte span matching shape times dtype size.
 *
 * <p>Lathe is stricter where the reference (checked against 0.8.0) is lenient, because a weights file
 * that breaks these is either corrupt or hand-crafted: the header must start with '{' (the reference
 * plans this rule but has it commented out), duplicate keys, unknown fields and a null
 * {@code __metadata__} are refused, rank is at most {@link Tensor#MAX_RANK}, only the dtypes a
 * {@link Tensor} can hold are accepted, and BOOL bytes must be 0 or 1 (checked when the file is opened).
 *
 * @param tensors entries in header order
 * @param metadata the {@code __metadata__} strings, empty when absent
 */
record SafetensorsHeader(Map<String, Entry> tensors, Map<String, String> metadata) {
    static final String METADATA_KEY = "__metadata__";
    private static final Set<String> FIELDS = Set.of("dtype", "shape", "data_offsets");
    private static final String SUPPORTED = "F32, F16, BF16, F64, I64, I32, I8, U8, BOOL";

    /** One tensor; {@code begin}/{@code end} are relative to the start of the data buffer. */
    record Entry(String key, DiskType type, long[] shape, long begin, long end) {}

    /**
     * Decodes and validates {@code header} (the N bytes after the length prefix) for a data buffer of
     * {@code dataLength} bytes.
     */
    static SafetensorsHeader parse(String source, byte[] header, long dataLength) {
        String text = decodeUtf8(source, header);
        if (text.isEmpty() || text.charAt(0) != '{') {
            throw new WeightsFormatException(source, null, "the JSON header must start with '{' (found "
                    + (text.isEmpty() ? "an empty header" : "'" + text.charAt(0) + "'") + ")");
        }
        Object root;
        try {
            root = Json.parse(text);
        } catch (Json.SyntaxException e) {
            throw new WeightsFormatException(source, null, "the header is not valid JSON: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> members)) {
            throw new WeightsFormatException(source, null, "the header must be a JSON object");
        }
        Map<String, Entry> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = Map.of();
        for (Map.Entry<?, ?> m : members.entrySet()) {
            String key = (String) m.getKey();
            if (key.equals(METADATA_KEY)) {
                metadata = metadata(source, m.getValue());
            } else {
                tensors.put(key, entry(source, key, m.getValue()));
            }
        }
        checkLayout(source, tensors.values(), dataLength);
        return new SafetensorsHeader(Collections.unmodifiableMap(tensors), metadata);
    }

    private static String decodeUtf8(String source, byte[] header) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(header))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new WeightsFormatException(source, null, "the header is not valid UTF-8", e);
        }
    }

    private static Map<String, String> metadata(String source, Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new WeightsFormatException(source, null, "\"__metadata__\" must be an object of string values, found " + kind(value));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new WeightsFormatException(source, null, "\"__metadata__\" values must be strings, but \""
                        + e.getKey() + "\" is " + kind(e.getValue()));
            }
            out.put((String) e.getKey(), s);
        }
        return Collections.unmodifiableMap(out);
    }

    private static Entry entry(String source, String key, Object value) {
        if (!(value instanceof Map<?, ?> fields)) {
            throw new WeightsFormatException(source, key, "the entry must be an object with dtype, shape and data_offsets, found " + kind(value));
        }
        for (Object f : fields.keySet()) {
            if (!FIELDS.contains(f)) {
                throw new WeightsFormatException(source, key, "unknown field \"" + f + "\" (allowed: dtype, shape, data_offsets)");
            }
        }
        for (String f : List.of("dtype", "shape", "data_offsets")) {
            if (!fields.containsKey(f)) throw new WeightsFormatException(source, key, "missing field \"" + f + "\"");
        }
        DiskType type = dtype(source, key, fields.get("dtype"));

        if (!(fields.get("shape") instanceof List<?> dims)) {
            throw new WeightsFormatException(source, key, "shape must be an array of non-negative integers, found " + kind(fields.get("shape")));
        }
        if (dims.size() > Tensor.MAX_RANK) {
            throw new WeightsFormatException(source, key, "shape has rank " + dims.size() + ", above the limit of " + Tensor.MAX_RANK);
        }
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = nonNegativeInteger(source, key, "shape entries", dims.get(i));
        }
        long bytes;
        try {
            long count = 1;
            for (long d : shape) count = Math.multiplyExact(count, d);
            bytes = Math.multiplyExact(count, (long) type.size);
        } catch (ArithmeticException e) {
            throw new WeightsFormatException(source, key, "the element count of shape " + Arrays.toString(shape) + " overflows");
        }

        if (!(fields.get("data_offsets") instanceof List<?> offsets) || offsets.size() != 2) {
            throw new WeightsFormatException(source, key, "data_offsets must be an array [begin, end] of two non-negative integers, found "
                    + fields.get("data_offsets"));
        }
        long begin = nonNegativeInteger(source, key, "data_offsets entries", offsets.get(0));
        long end = nonNegativeInteger(source, key, "data_offsets entries", offsets.get(1));
        if (begin > end) {
            throw new WeightsFormatException(source, key, "data_offsets [" + begin + ", " + end + "] must have begin <= end");
        }
        if (end - begin != bytes) {
            throw new WeightsFormatException(source, key, "data_offsets [" + begin + ", " + end + "] span " + (end - begin)
                    + " bytes but " + type + " " + Arrays.toString(shape) + " needs " + bytes + " bytes");
        }
        return new Entry(key, type, shape, begin, end);
    }

    private static DiskType dtype(String source, String key, Object value) {
        if (!(value instanceof String name)) {
            throw new WeightsFormatException(source, key, "dtype must be a string, found " + kind(value));
        }
        for (DiskType t : DiskType.values()) {
            if (t.name().equals(name)) return t;
        }
        throw new WeightsFormatException(source, key, "dtype \"" + name + "\" is not supported (supported: " + SUPPORTED + ")");
    }

    private static long nonNegativeInteger(String source, String key, String what, Object value) {
        if (value instanceof Json.Num n && n.isInteger() && !n.text().startsWith("-")) {
            try {
                return Long.parseLong(n.text());
            } catch (NumberFormatException e) {
                throw new WeightsFormatException(source, key, what + " must be at most " + Long.MAX_VALUE + ", found " + n);
            }
        }
        throw new WeightsFormatException(source, key, what + " must be non-negative integers, found " + (value instanceof Json.Num ? value : kind(value)));
    }

    /**
     * Sorted by (begin, end) as the reference does, the tensors must tile the data buffer exactly: the
     * first starts at 0, each starts where the previous ends, and the last ends at the buffer's end.
     */
    private static void checkLayout(String source, Iterable<Entry> entries, long dataLength) {
        List<Entry> sorted = new ArrayList<>();
        entries.forEach(sorted::add);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        String previous = null;
        for (Entry e : sorted) {
            if (e.begin() > expected) {
                throw new WeightsFormatException(source, e.key(), "data_offsets begin at byte " + e.begin() + " but "
                        + (previous == null ? "the data buffer starts at 0" : "tensor '" + previous + "' ends at byte " + expected)
                        + ": tensors must be contiguous, with no gap");
            }
            if (e.begin() < expected) {
                throw new WeightsFormatException(source, e.key(), "data_offsets begin at byte " + e.begin() + ", inside tensor '"
                        + previous + "' which ends at byte " + expected + ": tensors must not overlap");
            }
            expected = e.end();
            previous = e.key();
        }
        if (dataLength != expected) {
            throw new WeightsFormatException(source, null, "the data buffer holds " + dataLength + " bytes but the tensors' data_offsets end at byte "
                    + expected + (dataLength < expected ? " (truncated file)" : " (trailing bytes)")
                    + ": the last tensor must end exactly at the end of the file");
        }
    }

    private static String kind(Object value) {
        return switch (value) {
            case Map<?, ?> m -> "an object";
            case List<?> l -> "an array";
            case String s -> "a string";
            case Json.Num n -> "a number";
            case Boolean b -> "a boolean";
            default -> "null";
        };
    }
}
