package dev.lathe.runtime;

import java.util.Locale;
import java.util.Optional;

/**
 * Element types of the .model language (LANGUAGE.md §4). {@code f16}/{@code bf16} are storage types:
 * in memory a {@link Tensor} of those types holds widened f32 values.
 */
public enum DType {
    F32(4, true), F16(2, true), BF16(2, true), F64(8, true),
    I64(8, false), I32(4, false), I8(1, false), U8(1, false),
    I4(1, false), U4(1, false), BOOL(1, false);

    private final int storageBytes;
    private final boolean floating;

    DType(int storageBytes, boolean floating) {
        this.storageBytes = storageBytes;
        this.floating = floating;
    }

    /** Bytes per element when stored in a file (i4/u4 are counted as one byte each here). */
    public int storageBytes() { return storageBytes; }

    public boolean isFloating() { return floating; }

    public boolean isInteger() { return !floating && this != BOOL; }

    /** The name as written in .model source ({@code f32}, {@code bool}, ...). */
    public String sourceName() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<DType> fromSourceName(String name) {
        for (DType t : values()) {
            if (t.sourceName().equals(name)) return Optional.of(t);
        }
        return Optional.empty();
    }

    /** How elements are held in memory by {@link Tensor}. */
    public Storage storage() {
        return switch (this) {
            case F32, F16, BF16 -> Storage.FLOAT;
            case F64 -> Storage.DOUBLE;
            case I64, I32, I8, U8, I4, U4 -> Storage.LONG;
            case BOOL -> Storage.BOOLEAN;
        };
    }

    public enum Storage { FLOAT, DOUBLE, LONG, BOOLEAN }
}
