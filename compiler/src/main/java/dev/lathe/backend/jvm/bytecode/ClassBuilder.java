package dev.lathe.backend.jvm.bytecode;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * A class being generated: a thin layer over ASM's {@link ClassWriter} that computes frames and
 * stack sizes and hands out {@link MethodBuilder}s. Generated code only ever merges primitive and
 * array locals of one type, so frame computation never needs to load a class.
 */
public final class ClassBuilder {
    /** Class file version of generated classes (Java 21: hidden classes, no preview features). */
    public static final int VERSION = Opcodes.V21;

    private final ClassWriter writer;
    private final String internalName;

    public ClassBuilder(String internalName, String superName, String... interfaces) {
        this.internalName = internalName;
        this.writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return "java/lang/Object";
            }
        };
        writer.visit(VERSION, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, internalName, null, superName, interfaces);
    }

    public String internalName() {
        return internalName;
    }

    /** A method; {@link MethodBuilder#end()} must be called when its code is complete. */
    public MethodBuilder method(int access, String name, String descriptor) {
        return new MethodBuilder(writer.visitMethod(access, name, descriptor, null, null), access, descriptor);
    }

    /** A public no-argument constructor calling {@code superName}'s. */
    public void defaultConstructor(String superName) {
        MethodBuilder m = method(Opcodes.ACC_PUBLIC, "<init>", "()V");
        m.raw().visitVarInsn(Opcodes.ALOAD, 0);
        m.raw().visitMethodInsn(Opcodes.INVOKESPECIAL, superName, "<init>", "()V", false);
        m.returnVoid();
        m.end();
    }

    public byte[] toBytes() {
        writer.visitEnd();
        return writer.toByteArray();
    }
}
