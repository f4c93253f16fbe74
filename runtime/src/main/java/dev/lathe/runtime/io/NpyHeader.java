package dev.lathe.runtime.io;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The header of a .npy file (format versions 1.0, 2.0 and 3.0, as numpy.lib.format defines them):
 * magic {@code \x93NUMPY}, version, header length, and a Python dict literal
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }} padded with spaces and a newline.
 *
 * <p>Byte orders: {@code <} and {@code >} are honoured (big-endian files are read correctly),
 * {@code =} means the order of the machine running Lathe, as it does for numpy, and {@code |} is
 * accepted only for one-byte types.
 *
 * @param descr the dtype descriptor as written
 * @param type the element type
 * @param order byte order of the data
 * @param fortranOrder whether the data is column-major
 * @param shape the dimensions
 * @param length bytes from the start of the file to the first data byte
 */
record NpyHeader(String descr, DiskType type, ByteOrder order, boolean fortranOrder, long[] shape, long length) {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");
    private static final String SUPPORTED = "<f4, <f8, <f2, <i8, <i4, |i1, |u1, |b1 (with <, > or = byte order)";
    /** numpy pads after the dict so that the first dimension can grow in place to this many digits. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    private static final int ALIGN = 64;

    /** Element count times element size; validated not to overflow when the header was read. */
    long dataBytes() {
        long n = 1;
        for (long d : shape) n *= d;
        return n * type.size;
    }

    /** Reads and validates the header, leaving {@code in} at the first data byte. */
    static NpyHeader read(InputStream in, String source, NpyLimits limits) throws IOException {
        byte[] lead = in.readNBytes(MAGIC.length + 2);
        if (lead.length < MAGIC.length || !Arrays.equals(lead, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new WeightsFormatException(source, null, "not a .npy file: it must start with the magic bytes \\x93NUMPY");
        }
        if (lead.length < MAGIC.length + 2) throw new WeightsFormatException(source, null, "the file ends inside the .npy version");
        int major = lead[6] & 0xFF;
        int minor = lead[7] & 0xFF;
        if (major < 1 || major > 3 || minor != 0) {
            throw new WeightsFormatException(source, null, "unsupported .npy format version " + major + "." + minor + " (supported: 1.0, 2.0, 3.0)");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        byte[] lengthField = in.readNBytes(lengthBytes);
        if (lengthField.length < lengthBytes) throw new WeightsFormatException(source, null, "the file ends inside the header length");
        ByteBuffer lb = ByteBuffer.wrap(lengthField).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = major == 1 ? Short.toUnsignedInt(lb.getShort()) : Integer.toUnsignedLong(lb.getInt());
        if (headerLength > limits.maxHeaderBytes()) {
            throw new HeaderTooLargeException(source, headerLength, limits.maxHeaderBytes());
        }
        byte[] raw = in.readNBytes((int) headerLength);
        if (raw.length < headerLength) {
            throw new WeightsFormatException(source, null, "the file ends inside the header (" + raw.length + " of " + headerLength + " bytes)");
        }
        String text;
        if (major == 3) {
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
            } catch (CharacterCodingException e) {
                throw new WeightsFormatException(source, null, "the version 3.0 header is not valid UTF-8", e);
            }
        } else {
            text = new String(raw, StandardCharsets.ISO_8859_1);
        }
        return parse(source, text, MAGIC.length + 2 + lengthBytes + headerLength);
    }

    static NpyHeader parse(String source, String text, long length) {
        Object root;
        try {
            root = PyLiteral.parse(text);
        } catch (PyLiteral.SyntaxException e) {
            throw new WeightsFormatException(source, null, "the header is not a Python dict literal: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> dict)) {
            throw new WeightsFormatException(source, null, "the header must be a dict, found " + PyLiteral.repr(root));
        }
        if (!dict.keySet().equals(KEYS)) {
            throw new WeightsFormatException(source, null, "the header must have exactly the keys 'descr', 'fortran_order' and 'shape', found "
                    + dict.keySet());
        }
        String descr = descrString(source, dict.get("descr"));
        DiskType type = type(source, descr);
        ByteOrder order = switch (descr.charAt(0)) {
            case '>' -> ByteOrder.BIG_ENDIAN;
            case '=' -> ByteOrder.nativeOrder();
            default -> ByteOrder.LITTLE_ENDIAN;
        };
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new WeightsFormatException(source, null, "fortran_order must be True or False, found " + PyLiteral.repr(dict.get("fortran_order")));
        }
        return new NpyHeader(descr, type, order, fortran, shape(source, dict.get("shape"), type), length);
    }

    private static String descrString(String source, Object descr) {
        if (descr instanceof String s) return s;
        if (descr instanceof List<?> || descr instanceof PyLiteral.Tuple) {
            throw new WeightsFormatException(source, null, "structured and subarray dtypes are not supported (descr " + PyLiteral.repr(descr) + ")");
        }
        throw new WeightsFormatException(source, null, "descr must be a dtype string such as '<f4', found " + PyLiteral.repr(descr));
    }

    private static DiskType type(String source, String descr) {
        String body = !descr.isEmpty() && "<>=|".indexOf(descr.charAt(0)) >= 0 ? descr.substring(1) : descr;
        if (body.startsWith("O")) {
            throw new WeightsFormatException(source, null, "object arrays are not supported (descr '" + descr
                    + "'): they hold pickled Python objects, which Lathe never reads");
        }
        DiskType type = switch (body) {
            case "f8" -> DiskType.F64;
            case "f4" -> DiskType.F32;
            case "f2" -> DiskType.F16;
            case "i8" -> DiskType.I64;
            case "i4" -> DiskType.I32;
            case "i1" -> DiskType.I8;
            case "u1" -> DiskType.U8;
            case "b1" -> DiskType.BOOL;
            default -> null;
        };
        boolean hasOrder = body.length() < descr.length();
        if (type == null || !hasOrder || (descr.charAt(0) == '|' && type.size > 1)) {
            throw new WeightsFormatException(source, null, "unsupported dtype descr '" + descr + "' (supported: " + SUPPORTED + ")");
        }
        return type;
    }

    private static long[] shape(String source, Object value, DiskType type) {
        if (!(value instanceof PyLiteral.Tuple(List<Object> items)) || !items.stream().allMatch(BigInteger.class::isInstance)) {
            throw new WeightsFormatException(source, null, "shape must be a tuple of integers, found " + PyLiteral.repr(value));
        }
        if (items.size() > Tensor.MAX_RANK) {
            throw new WeightsFormatException(source, null, "shape " + value + " has rank " + items.size() + ", above the limit of " + Tensor.MAX_RANK);
        }
        long[] shape = new long[items.size()];
        for (int i = 0; i < shape.length; i++) {
            BigInteger d = (BigInteger) items.get(i);
            if (d.signum() < 0) throw new WeightsFormatException(source, null, "shape " + value + " has a negative dimension");
            if (d.bitLength() > 63) throw new WeightsFormatException(source, null, "shape " + value + " has a dimension above " + Long.MAX_VALUE);
            shape[i] = d.longValue();
        }
        try {
            long n = 1;
            for (long d : shape) n = Math.multiplyExact(n, d);
            Math.multiplyExact(n, (long) type.size);
        } catch (ArithmeticException e) {
            throw new WeightsFormatException(source, null, "the element count of shape " + value + " overflows");
        }
        return shape;
    }

    /** The descr a tensor of {@code dtype} is written with, and the element type behind it. */
    static DiskType writeType(DType dtype) {
        return switch (dtype) {
            case BF16 -> DiskType.F32; // numpy has no bfloat16: widen, exactly
            case I4 -> DiskType.I8;
            case U4 -> DiskType.U8;
            default -> DiskType.natural(dtype);
        };
    }

    static String descr(DiskType type) {
        return switch (type) {
            case F64 -> "<f8";
            case F32 -> "<f4";
            case F16 -> "<f2";
            case BF16 -> throw new AssertionError("bf16 is written as f4");
            case I64 -> "<i8";
            case I32 -> "<i4";
            case I8 -> "|i1";
            case U8 -> "|u1";
            case BOOL -> "|b1";
        };
    }

    /**
     * A version 1.0 header laid out byte for byte as numpy's {@code np.save} writes it: keys sorted,
     * room for the first dimension to grow, spaces and a final newline up to a 64-byte boundary.
     */
    static byte[] format(DiskType type, long[] shape) {
        StringBuilder dict = new StringBuilder("{'descr': '").append(descr(type)).append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) dict.append(i == 0 ? "" : ", ").append(shape[i]);
        dict.append(shape.length == 1 ? ",)" : ")").append(", }");
        if (shape.length > 0) dict.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length()));
        int prefix = MAGIC.length + 2 + 2;
        int withNewline = dict.length() + 1;
        // Like numpy, a header that is already aligned still gets a full 64 bytes of padding.
        int pad = ALIGN - (prefix + withNewline) % ALIGN;
        dict.append(" ".repeat(pad)).append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(prefix + text.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text);
        return out.array();
    }
}
