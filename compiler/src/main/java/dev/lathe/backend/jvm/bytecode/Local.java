package dev.lathe.backend.jvm.bytecode;

import org.objectweb.asm.Type;

/** A typed local variable slot of a {@link MethodBuilder}. */
public record Local(int index, Type type) {
}
