package dev.lathe.backend.jvm.bytecode;

import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Structured bytecode for one method: typed locals, constants, counted loops, if/else, array
 * access, conversions and calls. Callers describe what to compute; the opcodes that depend on a
 * type (load, store, array load, add) are chosen here from ASM {@link Type}s.
 */
public final class MethodBuilder implements Opcodes {
    private final MethodVisitor mv;
    private int nextLocal;

    MethodBuilder(MethodVisitor mv, int access, String descriptor) {
        this.mv = mv;
        mv.visitCode();
        nextLocal = (access & ACC_STATIC) != 0 ? 0 : 1;
        for (Type t : Type.getArgumentTypes(descriptor)) nextLocal += t.getSize();
    }

    /** The underlying visitor, for the few instructions this layer does not name. */
    public MethodVisitor raw() {
        return mv;
    }

    /** The {@code i}-th parameter (0-based, not counting {@code this}) of a method with these parameter types. */
    public static Local param(boolean isStatic, Type[] params, int i) {
        int slot = isStatic ? 0 : 1;
        for (int j = 0; j < i; j++) slot += params[j].getSize();
        return new Local(slot, params[i]);
    }

    public Local newLocal(Type type) {
        Local l = new Local(nextLocal, type);
        nextLocal += type.getSize();
        return l;
    }

    public void load(Local l) {
        mv.visitVarInsn(l.type().getOpcode(ILOAD), l.index());
    }

    public void store(Local l) {
        mv.visitVarInsn(l.type().getOpcode(ISTORE), l.index());
    }

    // ---- constants ---------------------------------------------------------------------------

    public void iconst(int v) {
        if (v >= -1 && v <= 5) mv.visitInsn(ICONST_0 + v);
        else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) mv.visitIntInsn(BIPUSH, v);
        else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) mv.visitIntInsn(SIPUSH, v);
        else mv.visitLdcInsn(v);
    }

    public void lconst(long v) {
        if (v == 0 || v == 1) mv.visitInsn((int) (LCONST_0 + v));
        else mv.visitLdcInsn(v);
    }

    public void dconst(double v) {
        if (Double.doubleToRawLongBits(v) == 0L || v == 1.0) mv.visitInsn(v == 0 ? DCONST_0 : DCONST_1);
        else mv.visitLdcInsn(v);
    }

    public void fconst(float v) {
        if (Float.floatToRawIntBits(v) == 0 || v == 1f || v == 2f) mv.visitInsn(FCONST_0 + (int) v);
        else mv.visitLdcInsn(v);
    }

    public void sconst(String s) {
        mv.visitLdcInsn(s);
    }

    public void aconstNull() {
        mv.visitInsn(ACONST_NULL);
    }

    // ---- arithmetic ----------------------------------------------------------------------------

    /** An arithmetic instruction of the given int-form opcode ({@code IADD}, {@code IMUL}, ...) for {@code type}. */
    public void arith(int intOpcode, Type type) {
        mv.visitInsn(type.getOpcode(intOpcode));
    }

    public void insn(int opcode) {
        mv.visitInsn(opcode);
    }

    /** Converts the value on the stack between primitive types (int, long, float, double). */
    public void convert(Type from, Type to) {
        if (from.equals(to)) return;
        int f = from.getSort(), t = to.getSort();
        if (f == Type.INT && t == Type.LONG) mv.visitInsn(I2L);
        else if (f == Type.INT && t == Type.DOUBLE) mv.visitInsn(I2D);
        else if (f == Type.INT && t == Type.FLOAT) mv.visitInsn(I2F);
        else if (f == Type.LONG && t == Type.INT) mv.visitInsn(L2I);
        else if (f == Type.LONG && t == Type.DOUBLE) mv.visitInsn(L2D);
        else if (f == Type.DOUBLE && t == Type.LONG) mv.visitInsn(D2L);
        else if (f == Type.DOUBLE && t == Type.FLOAT) mv.visitInsn(D2F);
        else if (f == Type.DOUBLE && t == Type.INT) mv.visitInsn(D2I);
        else if (f == Type.FLOAT && t == Type.DOUBLE) mv.visitInsn(F2D);
        else throw new IllegalArgumentException("no conversion from " + from + " to " + to);
    }

    // ---- arrays --------------------------------------------------------------------------------

    /** {@code array[index]} with array and index on the stack. */
    public void arrayLoad(Type element) {
        mv.visitInsn(element.getOpcode(IALOAD));
    }

    /** {@code array[index] = value} with array, index and value on the stack. */
    public void arrayStore(Type element) {
        mv.visitInsn(element.getOpcode(IASTORE));
    }

    public void checkcast(Type type) {
        mv.visitTypeInsn(CHECKCAST, type.getInternalName());
    }

    public void newObject(String internalName) {
        mv.visitTypeInsn(NEW, internalName);
        mv.visitInsn(DUP);
    }

    // ---- calls ---------------------------------------------------------------------------------

    public void invokeStatic(String owner, String name, String descriptor) {
        mv.visitMethodInsn(INVOKESTATIC, owner, name, descriptor, false);
    }

    public void invokeVirtual(String owner, String name, String descriptor) {
        mv.visitMethodInsn(INVOKEVIRTUAL, owner, name, descriptor, false);
    }

    public void invokeSpecial(String owner, String name, String descriptor) {
        mv.visitMethodInsn(INVOKESPECIAL, owner, name, descriptor, false);
    }

    public void getStatic(String owner, String name, String descriptor) {
        mv.visitFieldInsn(GETSTATIC, owner, name, descriptor);
    }

    // ---- control flow --------------------------------------------------------------------------

    /** {@code for (i = 0; i < bound; i++) body}: {@code bound} pushes an int, evaluated before every iteration. */
    public void forLoop(Local i, Runnable bound, Runnable body) {
        Label test = new Label();
        Label top = new Label();
        iconst(0);
        store(i);
        mv.visitJumpInsn(GOTO, test);
        mv.visitLabel(top);
        body.run();
        mv.visitIincInsn(i.index(), 1);
        mv.visitLabel(test);
        load(i);
        bound.run();
        mv.visitJumpInsn(IF_ICMPLT, top);
    }

    /** With an int condition on the stack: {@code then} when it is non-zero, else {@code otherwise} (may be null). */
    public void ifElse(Runnable then, Runnable otherwise) {
        Label elseLabel = new Label();
        Label end = new Label();
        mv.visitJumpInsn(IFEQ, elseLabel);
        then.run();
        mv.visitJumpInsn(GOTO, end);
        mv.visitLabel(elseLabel);
        if (otherwise != null) otherwise.run();
        mv.visitLabel(end);
    }

    /** Turns the result of a compare instruction ({@code LCMP}, {@code DCMPL}, ...) on the stack into a 0/1 int with jump opcode {@code ifOpcode} ({@code IFLT}, ...). */
    public void compareToBoolean(int ifOpcode) {
        Label yes = new Label();
        Label end = new Label();
        mv.visitJumpInsn(ifOpcode, yes);
        iconst(0);
        mv.visitJumpInsn(GOTO, end);
        mv.visitLabel(yes);
        iconst(1);
        mv.visitLabel(end);
    }

    public void returnVoid() {
        mv.visitInsn(RETURN);
    }

    public void end() {
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }
}
