package dev.lathe.runtime.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Hand-built file images: every byte of a test file is spelled out here, not produced by the writers. */
final class Crafted {
    private Crafted() {}

    /** A safetensors image: 8-byte little-endian header length, the header's UTF-8 bytes, then data. */
    static byte[] safetensors(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return concat(u64(h.length), h, data);
    }

    /** A .npy image with the given version; the length field is 2 bytes for 1.x and 4 bytes otherwise. */
    static byte[] npy(int major, String header, byte[] data) {
        byte[] h = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        byte[] length = major == 1
                ? ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) h.length).array()
                : ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(h.length).array();
        return concat(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0}, length, h, data);
    }

    static byte[] npy(String header, byte[] data) {
        return npy(1, header, data);
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    static byte[] f32(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return b.array();
    }

    static byte[] i32(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) b.putInt(v);
        return b.array();
    }

    static byte[] i64(long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) b.putLong(v);
        return b.array();
    }

    /** Two little-endian bytes per value (f16/bf16 bit patterns). */
    static byte[] u16(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) b.putShort((short) v);
        return b.array();
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (byte) values[i];
        return out;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    static Path write(Path dir, String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }
}
