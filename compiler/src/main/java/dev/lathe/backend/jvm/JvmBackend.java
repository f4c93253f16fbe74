package dev.lathe.backend.jvm;

import dev.lathe.backend.jvm.bytecode.ClassBuilder;
import dev.lathe.backend.jvm.bytecode.MethodBuilder;
import dev.lathe.ir.Dim;
import dev.lathe.ir.DimBounds;
import dev.lathe.lower.Buffer;
import dev.lathe.lower.Kernel;
import dev.lathe.lower.KernelProgram;
import dev.lathe.runtime.model.ModelSpec;
import dev.lathe.runtime.model.gen.HiddenClasses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.objectweb.asm.Opcodes;

/**
 * The JVM backend (DESIGN.md §6): Kernel IR to one class implementing
 * {@code dev.lathe.runtime.model.ModelCode}, plus the {@link ModelSpec} the runtime needs to call it.
 * Every kernel is its own static method (a loop nest, or a call into a runtime kernel) and
 * {@code run} calls them in order through chunk methods of at most {@link #KERNELS_PER_CHUNK} calls,
 * so every method stays far below the 8,000 bytes of bytecode above which HotSpot does not
 * JIT-compile it. Weights are never in the class: they are buffers the runtime loads.
 */
public final class JvmBackend implements Opcodes {
    /** Kernel calls per chunk method of {@code run} (about 12 bytes each). */
    public static final int KERNELS_PER_CHUNK = 200;

    private JvmBackend() {}

    /**
     * Generates the class for {@code program}, named {@code dev.lathe.runtime.model.gen.<simpleName>}
     * (the package hidden classes are defined in), hands it to {@code sink} and returns its spec.
     */
    public static ModelSpec generate(KernelProgram program, String simpleName, ClassSink sink) {
        if (!simpleName.matches("[A-Za-z_$][A-Za-z0-9_$]*")) throw new IllegalArgumentException("not a class name: " + simpleName);
        String internal = HiddenClasses.INTERNAL_PACKAGE + "/" + simpleName;
        SizeTable sizes = new SizeTable();
        ClassBuilder cb = new ClassBuilder(internal, "java/lang/Object", "dev/lathe/runtime/model/ModelCode");
        cb.defaultConstructor("java/lang/Object");
        List<String> kernelMethods = new ArrayList<>();
        for (int i = 0; i < program.kernels().size(); i++) {
            Kernel k = program.kernels().get(i);
            String name = "k" + i + "_" + methodSuffix(k.label());
            MethodBuilder m = cb.method(ACC_PRIVATE | ACC_STATIC, name, MethodContext.KERNEL_DESCRIPTOR);
            MethodContext c = new MethodContext(m, program, sizes);
            if (k instanceof Kernel.Loop loop) new LoopEmitter(c, loop).emit();
            else new CallEmitter(c).emit(k);
            m.returnVoid();
            m.end();
            kernelMethods.add(name);
        }
        List<String> chunks = new ArrayList<>();
        for (int from = 0; from < kernelMethods.size(); from += KERNELS_PER_CHUNK) {
            String name = "run" + chunks.size();
            MethodBuilder m = cb.method(ACC_PRIVATE | ACC_STATIC, name, MethodContext.KERNEL_DESCRIPTOR);
            for (String k : kernelMethods.subList(from, Math.min(kernelMethods.size(), from + KERNELS_PER_CHUNK))) {
                m.raw().visitVarInsn(ALOAD, 0);
                m.raw().visitVarInsn(ALOAD, 1);
                m.raw().visitVarInsn(ALOAD, 2);
                m.invokeStatic(internal, k, MethodContext.KERNEL_DESCRIPTOR);
            }
            m.returnVoid();
            m.end();
            chunks.add(name);
        }
        MethodBuilder run = cb.method(ACC_PUBLIC, "run", MethodContext.KERNEL_DESCRIPTOR);
        for (String chunk : chunks) {
            run.raw().visitVarInsn(ALOAD, 1);
            run.raw().visitVarInsn(ALOAD, 2);
            run.raw().visitVarInsn(ALOAD, 3);
            run.invokeStatic(internal, chunk, MethodContext.KERNEL_DESCRIPTOR);
        }
        run.returnVoid();
        run.end();
        byte[] bytes = cb.toBytes();
        // A method HotSpot will not compile would run interpreted, many times slower: never emit one.
        for (Map.Entry<String, Integer> e : MethodSizes.of(bytes).entrySet()) {
            if (e.getValue() >= MethodSizes.LIMIT / 2) {
                throw new IllegalStateException("generated method " + e.getKey() + " has " + e.getValue() + " bytes of bytecode, over the "
                        + MethodSizes.LIMIT / 2 + " this backend allows (HotSpot compiles none above " + MethodSizes.LIMIT + ")");
            }
        }
        String binaryName = internal.replace('/', '.');
        ModelSpec spec = spec(program, binaryName, sizes);
        try {
            sink.accept(binaryName, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return spec;
    }

    private static String methodSuffix(String label) {
        String first = label.split("[ (]", 2)[0].toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return first.isEmpty() ? "kernel" : first;
    }

    private static ModelSpec spec(KernelProgram p, String binaryName, SizeTable sizes) {
        List<ModelSpec.BufferSpec> buffers = new ArrayList<>();
        for (Buffer b : p.buffers()) {
            ModelSpec.Role role = switch (b.kind()) {
                case INPUT -> ModelSpec.Role.INPUT;
                case WEIGHT -> ModelSpec.Role.WEIGHT;
                case TEMP -> ModelSpec.Role.SCRATCH;
                case OUTPUT -> ModelSpec.Role.OUTPUT;
            };
            buffers.add(new ModelSpec.BufferSpec(b.id(), role, b.dtype(), sizes.indexOf(b.size()), b.name(), b.kind() == Buffer.Kind.TEMP ? b.slot() : -1,
                    b.packing(), b.kind() == Buffer.Kind.WEIGHT ? b.shape() : List.of()));
        }
        List<ModelSpec.DimSpec> dims = new ArrayList<>();
        for (Map.Entry<String, DimBounds> e : p.dims().entrySet()) dims.add(new ModelSpec.DimSpec(e.getKey(), e.getValue().lo(), e.getValue().hi()));
        List<ModelSpec.IoSpec> inputs = p.inputs().stream().map(JvmBackend::io).toList();
        List<ModelSpec.IoSpec> outputs = p.outputs().stream().map(JvmBackend::io).toList();
        return new ModelSpec(p.graphName(), binaryName, dims, sizes.texts(), buffers, inputs, outputs, null);
    }

    private static ModelSpec.IoSpec io(KernelProgram.Io io) {
        return new ModelSpec.IoSpec(io.name(), io.dtype(), io.shape().stream().map(Dim::toString).toList(), io.buffer());
    }
}
