package dev.lathe.tornado;

import dev.lathe.lower.Buffer;
import dev.lathe.lower.Kernel;
import dev.lathe.lower.KernelProgram;
import dev.lathe.lower.UnsupportedOpException;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.model.WeightPacking;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Kernel IR to TornadoVM Java source (DESIGN.md §6), the Java sibling of the OpenCL renderer: a kernels
 * class with one static method per kernel ({@code @Parallel} loops over TornadoVM arrays, see
 * {@link KernelMethods}) and a host class ({@link HostClassWriter}) that loads the weights, builds one
 * {@code TaskGraph} (weights FIRST_EXECUTION, inputs and outputs EVERY_EXECUTION) and one
 * {@code TornadoExecutionPlan}, and runs it on runtime Tensors.
 *
 * <p>Symbolic dims are fixed at emit time ({@code dims}, e.g. {@code --dim B=1}): every size, offset and
 * stride is a literal, as in the OpenCL renderer, so the device compiler sees constant trip counts; a
 * model emitted for B = 1 accepts only B = 1 inputs.
 *
 * <p>Emits loop nests (reductions sequential inside each parallel iteration), GEMM with its epilogue,
 * batched matmul, the row ops, attention (causal, additive or bool masks) and conv2d, over f32, f64, f16,
 * i64, i32, i8 and bool buffers (runtime-kernel calls on f32 only). Refused by {@link #check} with an
 * {@link UnsupportedOpException}, never a wrong result: linear attention, gathers, integer division,
 * bf16/u8/i4/u4 buffers, weight packings other than the GEMM ones, and kernels
 * taking more than {@value #MAX_TASK_ARGS} arrays (TornadoVM's largest task shape).
 */
public final class TornadoEmitter {
    /** TornadoVM's task interfaces go up to Task15. */
    public static final int MAX_TASK_ARGS = 15;

    private TornadoEmitter() {}

    /** Throws {@link UnsupportedOpException} when some kernel or buffer of {@code p} cannot be emitted. */
    public static void check(KernelProgram p) {
        for (Kernel k : p.kernels()) {
            // before the weights: a quantized layer's packed integers would otherwise be refused by their packing name
            if (k instanceof Kernel.QuantGemm q) {
                throw new UnsupportedOpException("quantized_linear", "the tornadovm backend does not emit quantized_linear yet (kernel '"
                        + q.label() + "'); use --backend jvm");
            }
        }
        for (Buffer b : p.buffers()) {
            ArrayTypes.require(b.dtype(), "buffer '" + b.name() + "' (#" + b.id() + ")");
            // the conv packings are a layout made at load by the JVM runtime; the stored weight is the plain [cout, cin, kh, kw]
            if (b.kind() == Buffer.Kind.WEIGHT && !b.packing().equals(WeightPacking.NONE) && !b.packing().equals(WeightPacking.GEMM)
                    && !b.packing().equals(WeightPacking.GEMM_TRANSPOSED) && !b.packing().equals(WeightPacking.CONV)
                    && !b.packing().equals(WeightPacking.CONV_DIRECT)) {
                throw new UnsupportedOpException(b.packing(), "the tornadovm backend does not emit weight packing '" + b.packing() + "' (weight '" + b.name() + "')");
            }
        }
        for (Kernel k : p.kernels()) {
            switch (k) {
                case Kernel.Loop l -> {
                    ScalarSource.check(l.body());
                    if (l.reduction() != null) {
                        ScalarSource.check(l.reduction().value());
                        if (l.reduction().init() != null) ScalarSource.check(l.reduction().init());
                    }
                }
                case Kernel.LinearAttention a -> throw new UnsupportedOpException("linear_attention",
                        "the tornadovm backend does not emit linear_attention yet (kernel '" + a.label() + "'); use --backend jvm");
                case Kernel.SparseGemm g -> throw new UnsupportedOpException("sparse_linear",
                        "the tornadovm backend does not emit sparse_linear yet (kernel '" + g.label() + "'); use --backend jvm");
                case Kernel.Attention a -> {
                    for (int id : List.of(a.q(), a.k(), a.v(), a.out())) requireF32(p, id, k);
                    if (a.mask() >= 0 && p.buffer(a.mask()).dtype() != (a.additiveMask() ? DType.F32 : DType.BOOL)) {
                        throw new UnsupportedOpException("attention", "the tornadovm backend takes an f32 additive or a bool attention mask (kernel '" + a.label() + "')");
                    }
                }
                default -> {
                    for (int id : k.reads()) requireF32(p, id, k);
                    for (int id : k.writes()) requireF32(p, id, k);
                }
            }
            TreeSet<Integer> ids = new TreeSet<>(k.reads());
            ids.addAll(k.writes());
            ids.remove(-1);
            int args = ids.size();
            if (args > MAX_TASK_ARGS) {
                throw new UnsupportedOpException("task", "kernel '" + k.label() + "' takes " + args + " arrays; a TornadoVM task takes at most " + MAX_TASK_ARGS);
            }
        }
    }

    private static void requireF32(KernelProgram p, int id, Kernel k) {
        if (id >= 0 && p.buffer(id).dtype() != DType.F32) {
            throw new UnsupportedOpException(p.buffer(id).dtype().sourceName(), "the tornadovm backend emits kernel '" + k.label() + "' for f32 only");
        }
    }

    /**
     * The kernels class {@code <className>Kernels} and the host class {@code <className>} for {@code p}
     * with its named dims bound to {@code dims} (every named dim must be bound).
     */
    public static EmittedSources emit(KernelProgram p, Map<String, Long> dims, String packageName, String className) {
        check(p);
        List<String> unbound = DimBinding.unbound(p, dims);
        if (!unbound.isEmpty()) {
            throw new DimBindingException("the tornadovm backend fixes every dim at compile time; bind " + String.join(", ", unbound)
                    + " (lathe compile --dim NAME=N)");
        }
        dims.forEach((name, value) -> {
            var bounds = p.dims().get(name);
            if (bounds != null && !bounds.contains(value)) {
                throw new DimBindingException("dim " + name + " = " + value + " is outside its declared bounds " + bounds);
            }
        });
        String kernelsClass = className + "Kernels";
        StringBuilder methods = new StringBuilder();
        KernelMethods km = new KernelMethods(p, dims);
        List<KernelMethods.Task> tasks = new ArrayList<>();
        for (int i = 0; i < p.kernels().size(); i++) {
            KernelMethods.Task t = km.emit(p.kernels().get(i), "k" + i, methods);
            if (t != null) tasks.add(t);
        }
        StringBuilder k = new StringBuilder();
        if (!packageName.isEmpty()) k.append("package ").append(packageName).append(";\n\n");
        k.append("import uk.ac.manchester.tornado.api.annotations.Parallel;\n");
        k.append("import uk.ac.manchester.tornado.api.types.HalfFloat;\n");
        k.append("import uk.ac.manchester.tornado.api.types.arrays.*;\n\n");
        k.append("/**\n * TornadoVM kernels of graph '").append(p.graphName()).append("', generated by Lathe for ").append(DimBinding.describe(dims))
                .append(".\n * One static method per Kernel IR kernel; {@link ").append(className).append("} runs them as one task graph.\n */\n");
        k.append("@SuppressWarnings(\"unused\")\n");
        k.append("public final class ").append(kernelsClass).append(" {\n    private ").append(kernelsClass).append("() {}\n");
        k.append(methods);
        k.append(KernelHelpers.SOURCE);
        k.append("}\n");
        String host = new HostClassWriter(p, dims, packageName, className, kernelsClass, tasks).write();
        return new EmittedSources(packageName, kernelsClass, k.toString(), className, host);
    }
}
