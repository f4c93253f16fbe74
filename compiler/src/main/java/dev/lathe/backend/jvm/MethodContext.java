package dev.lathe.backend.jvm;

import dev.lathe.backend.jvm.bytecode.Local;
import dev.lathe.backend.jvm.bytecode.MethodBuilder;
import dev.lathe.ir.Dim;
import dev.lathe.lower.Buffer;
import dev.lathe.lower.KernelProgram;
import dev.lathe.runtime.model.WeightPacking;
import java.util.HashMap;
import java.util.Map;
import org.objectweb.asm.Type;

/**
 * One kernel method being generated: {@code static void kN(Object[] buffers, int[] sizes, RunContext
 * context)}. Its prologue copies every buffer it uses into a typed local ({@code float[] b3 =
 * (float[]) buffers[3]}) and every symbolic size into an int local, so the loops read only locals.
 */
final class MethodContext {
    static final Type OBJECT_ARRAY = Type.getType(Object[].class);
    static final Type INT_ARRAY = Type.getType(int[].class);
    static final String RUN_CONTEXT = "dev/lathe/runtime/model/RunContext";
    static final Type RUN_CONTEXT_TYPE = Type.getObjectType(RUN_CONTEXT);
    static final String PACKED = "dev/lathe/runtime/kernels/PackedMatrix";
    static final String QUANT_MATRIX = "dev/lathe/runtime/kernels/QuantMatrix";
    static final String CONV_WEIGHTS = "dev/lathe/runtime/kernels/ConvWeights";
    static final String CSR_WEIGHT = "dev/lathe/runtime/kernels/CsrWeight";
    static final String KERNEL_DESCRIPTOR = Type.getMethodDescriptor(Type.VOID_TYPE, OBJECT_ARRAY, INT_ARRAY, RUN_CONTEXT_TYPE);

    final MethodBuilder m;
    final KernelProgram program;
    final SizeTable sizes;
    final Local buffersParam;
    final Local sizesParam;
    final Local contextParam;
    private final Map<Integer, Local> bufferLocals = new HashMap<>();
    private final Map<Dim, Local> sizeLocals = new HashMap<>();

    MethodContext(MethodBuilder m, KernelProgram program, SizeTable sizes) {
        this.m = m;
        this.program = program;
        this.sizes = sizes;
        Type[] params = {OBJECT_ARRAY, INT_ARRAY, RUN_CONTEXT_TYPE};
        buffersParam = MethodBuilder.param(true, params, 0);
        sizesParam = MethodBuilder.param(true, params, 1);
        contextParam = MethodBuilder.param(true, params, 2);
    }

    /** The JVM type of buffer {@code id}'s array (or packed weight). */
    static Type arrayType(Buffer b) {
        if (b.kind() == Buffer.Kind.WEIGHT && b.packing().startsWith(WeightPacking.QUANT_PREFIX)) return Type.getObjectType(QUANT_MATRIX);
        if (b.kind() == Buffer.Kind.WEIGHT && b.packing().equals(WeightPacking.AS_F32)) return Type.getType(float[].class);
        if (b.kind() == Buffer.Kind.WEIGHT && b.packing().equals(WeightPacking.I32)) return Type.getType(int[].class);
        if (b.kind() == Buffer.Kind.WEIGHT && isConvPacking(b.packing())) return Type.getObjectType(CONV_WEIGHTS);
        if (b.kind() == Buffer.Kind.WEIGHT && b.packing().startsWith(WeightPacking.CSR_PREFIX)) return Type.getObjectType(CSR_WEIGHT);
        if (b.kind() == Buffer.Kind.WEIGHT && !b.packing().isEmpty()) return Type.getObjectType(PACKED);
        return switch (b.dtype().storage()) {
            case FLOAT -> Type.getType(float[].class);
            case DOUBLE -> Type.getType(double[].class);
            case LONG -> Type.getType(long[].class);
            case BOOLEAN -> Type.getType(boolean[].class);
        };
    }

    /** Whether a weight with this packing is a {@code ConvWeights}. */
    static boolean isConvPacking(String packing) {
        return packing.equals(WeightPacking.CONV) || packing.equals(WeightPacking.CONV_DIRECT);
    }

    /** Element type of a buffer's array. */
    static Type elementType(Buffer b) {
        return arrayType(b).getElementType();
    }

    /** Prologue: a typed local for buffer {@code id} (once). */
    void declareBuffer(int id) {
        if (id < 0 || bufferLocals.containsKey(id)) return;
        Type t = arrayType(program.buffer(id));
        Local l = m.newLocal(t);
        m.load(buffersParam);
        m.iconst(id);
        m.arrayLoad(Type.getType(Object.class));
        m.checkcast(t);
        m.store(l);
        bufferLocals.put(id, l);
    }

    /** Prologue: an int local for a symbolic size (constants need none). */
    void declareDim(Dim d) {
        if (SizeTable.isIntConstant(d) || sizeLocals.containsKey(d)) return;
        Local l = m.newLocal(Type.INT_TYPE);
        m.load(sizesParam);
        m.iconst(sizes.indexOf(d));
        m.arrayLoad(Type.INT_TYPE);
        m.store(l);
        sizeLocals.put(d, l);
    }

    void pushBuffer(int id) {
        if (id < 0) {
            m.aconstNull();
            return;
        }
        Local l = bufferLocals.get(id);
        if (l == null) throw new IllegalStateException("buffer " + id + " was not declared");
        m.load(l);
    }

    /** Pushes a size as an int. */
    void pushDim(Dim d) {
        if (SizeTable.isIntConstant(d)) {
            m.iconst((int) d.constant().getAsLong());
            return;
        }
        Local l = sizeLocals.get(d);
        if (l == null) throw new IllegalStateException("size " + d + " was not declared");
        m.load(l);
    }

    void pushParallelism() {
        m.load(contextParam);
        m.invokeVirtual(RUN_CONTEXT, "parallelism", "()Ldev/lathe/runtime/kernels/Parallelism;");
    }
}
