package dev.lathe.lower;

import dev.lathe.ir.Dim;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphInput;
import dev.lathe.ir.GraphOutput;
import dev.lathe.ir.Node;
import dev.lathe.ir.Param;
import dev.lathe.ir.Value;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state of lowering one graph: buffers made so far, kernels emitted so far, and where each SSA
 * value lives. A value lives in a {@link View}: a buffer read densely in row-major order with the
 * value's shape, so reshape-like ops ({@code reshape}, {@code flatten}, {@code squeeze},
 * {@code unsqueeze}, same-type {@code cast}) cost nothing: their output is a new view of the same buffer.
 */
final class Lowerer {
    /** Where a value lives: buffer {@code buffer}, dense row-major, of {@code shape}. */
    record View(int buffer, List<Dim> shape, DType dtype) {
        View {
            shape = List.copyOf(shape);
        }

        int rank() {
            return shape.size();
        }
    }

    final Graph graph;
    final LowerOptions options;
    final List<Buffer> buffers = new ArrayList<>();
    final List<Kernel> kernels = new ArrayList<>();
    final Map<String, Tensor> weights = new LinkedHashMap<>();
    private final Map<Integer, View> views = new HashMap<>();
    private final Map<Integer, Param> params = new HashMap<>();
    private final Map<String, Integer> weightBuffers = new HashMap<>();
    private int constants;

    Lowerer(Graph graph, LowerOptions options) {
        this.graph = graph;
        this.options = options;
        for (Param p : graph.params()) params.put(p.value().id(), p);
    }

    KernelProgram lower() {
        List<KernelProgram.Io> inputs = new ArrayList<>();
        for (GraphInput in : graph.inputs()) {
            int b = addBuffer(Buffer.Kind.INPUT, in.value().type().dtype(), product(in.value().type().shape()), in.name(), "", List.of());
            views.put(in.value().id(), new View(b, in.value().type().shape(), in.value().type().dtype()));
            inputs.add(new KernelProgram.Io(in.name(), in.value().type().dtype(), in.value().type().shape(), b));
        }
        for (Node node : graph.nodes()) lowerNode(node);
        List<KernelProgram.Io> outputs = new ArrayList<>();
        Set<Integer> claimed = new HashSet<>();
        for (GraphOutput o : graph.outputs()) {
            View v = view(o.value());
            Buffer b = buffers.get(v.buffer());
            int out;
            if (b.kind() == Buffer.Kind.TEMP && claimed.add(v.buffer())) {
                buffers.set(v.buffer(), b.withKind(Buffer.Kind.OUTPUT));
                out = v.buffer();
            } else {
                // An input, a weight, or a buffer another output already returns: the output gets its own copy.
                out = addBuffer(Buffer.Kind.OUTPUT, v.dtype(), product(v.shape()), "", "", List.of());
                claimed.add(out);
                kernels.add(new Kernel.Loop("copy to output " + o.name(), out, Affine.rowMajor(v.shape(), 0), v.shape(), null,
                        new Scalar.Load(v.buffer(), Affine.rowMajor(v.shape(), 0), v.dtype())));
            }
            outputs.add(new KernelProgram.Io(o.name(), v.dtype(), o.value().type().shape(), out));
        }
        return new KernelProgram(graph.name(), buffers, kernels, inputs, outputs, graph.dims(), weights);
    }

    private void lowerNode(Node node) {
        switch (node) {
            case Node.Unary n -> ElementwiseLowering.unary(this, n);
            case Node.Gelu n -> ElementwiseLowering.gelu(this, n);
            case Node.LeakyRelu n -> ElementwiseLowering.leakyRelu(this, n);
            case Node.Clip n -> ElementwiseLowering.clip(this, n);
            case Node.Binary n -> ElementwiseLowering.binary(this, n);
            case Node.Compare n -> ElementwiseLowering.compare(this, n);
            case Node.Where n -> ElementwiseLowering.where(this, n);
            case Node.Cast n -> ElementwiseLowering.cast(this, n);
            case Node.MatMul n -> LinalgLowering.matmul(this, n);
            case Node.Linear n -> LinalgLowering.linear(this, n);
            case Node.LowRankLinear n -> LinalgLowering.lowRankLinear(this, n);
            case Node.SparseLinear n -> SparseLowering.sparseLinear(this, n);
            case Node.QuantizedLinear n -> QuantLowering.quantizedLinear(this, n);
            case Node.Reduce n -> ReductionLowering.reduce(this, n);
            case Node.ArgMax n -> ReductionLowering.argmax(this, n);
            case Node.Softmax n -> NormLowering.softmax(this, n);
            case Node.LayerNorm n -> NormLowering.layerNorm(this, n);
            case Node.RmsNorm n -> NormLowering.rmsNorm(this, n);
            case Node.BatchNorm n -> NormLowering.batchNorm(this, n);
            case Node.Reshape n -> alias(n.out(), n.x());
            case Node.Flatten n -> alias(n.out(), n.x());
            case Node.Squeeze n -> alias(n.out(), n.x());
            case Node.Unsqueeze n -> alias(n.out(), n.x());
            case Node.Transpose n -> ShapeLowering.transpose(this, n);
            case Node.Concat n -> ShapeLowering.concat(this, n);
            case Node.Split n -> ShapeLowering.split(this, n);
            case Node.Slice n -> ShapeLowering.slice(this, n);
            case Node.Gather n -> ShapeLowering.gather(this, n);
            case Node.Embedding n -> ShapeLowering.embedding(this, n);
            case Node.Conv2d n -> ConvLowering.conv2d(this, n);
            case Node.Pool2d n -> ConvLowering.pool2d(this, n);
            case Node.GlobalAvgPool n -> ConvLowering.globalAvgPool(this, n);
            case Node.Attention n -> AttentionLowering.attention(this, n);
            case Node.LinearAttention n -> AttentionLowering.linearAttention(this, n);
            case Node.Constant n -> {
                String key = "const." + (constants++) + "." + n.out().id();
                weights.put(key, n.value());
                int b = addBuffer(Buffer.Kind.WEIGHT, n.value().dtype(), product(n.out().type().shape()), key, "",
                        java.util.Arrays.stream(n.value().shape()).boxed().toList());
                define(n.out(), b);
            }
            // Ops added to the Graph IR after this backend: a compile-time error, never a wrong result.
            default -> throw new UnsupportedOpException(node.opName(), "op " + node.opName() + " is not supported by the jvm backend"
                    + where(node));
        }
    }

    static String where(Node node) {
        String path = node.provenance().instancePath();
        return path.isEmpty() ? "" : " (in " + path + ")";
    }

    static String label(Node node) {
        String path = node.provenance().instancePath();
        return node.opName() + (path.isEmpty() ? "" : " " + path);
    }

    // ---- values and buffers ------------------------------------------------------------------

    /** Where a value lives; params get a plain weight buffer on first use. */
    View view(Value v) {
        View view = views.get(v.id());
        if (view != null) return view;
        Param p = params.get(v.id());
        if (p == null) throw new IllegalStateException(v.ref() + " is used before it is defined");
        return new View(weightBuffer(p, ""), v.type().shape(), v.type().dtype());
    }

    /** Whether a value is a param (a weight known at load time). */
    boolean isParam(Value v) {
        return params.containsKey(v.id());
    }

    /** The WEIGHT buffer holding param {@code v} with {@code packing}. */
    int weightBuffer(Value v, String packing) {
        Param p = params.get(v.id());
        if (p == null) throw new IllegalArgumentException(v.ref() + " is not a param");
        return weightBuffer(p, packing);
    }

    private int weightBuffer(Param p, String packing) {
        String cacheKey = p.path() + "\u0000" + packing;
        Integer b = weightBuffers.get(cacheKey);
        if (b != null) return b;
        if (p.data() == null) throw new IllegalStateException("graph is not bound: param " + p.path() + " has no data");
        weights.put(p.path(), p.data());
        int id = addBuffer(Buffer.Kind.WEIGHT, p.type().dtype(), product(p.type().shape()), p.path(), packing,
                java.util.Arrays.stream(p.data().shape()).boxed().toList());
        weightBuffers.put(cacheKey, id);
        return id;
    }

    /** The param behind {@code v}, or null when it is not a param. */
    Param param(Value v) {
        return params.get(v.id());
    }

    /**
     * A WEIGHT buffer holding {@code data}, a tensor computed from params at compile time (a
     * dequantized weight), stored under {@code key} next to the params.
     */
    int derivedWeight(String key, Tensor data, String packing) {
        String cacheKey = key + "\u0000" + packing;
        Integer b = weightBuffers.get(cacheKey);
        if (b != null) return b;
        weights.put(key, data);
        int id = addBuffer(Buffer.Kind.WEIGHT, data.dtype(), Dim.of(data.size()), key, packing, java.util.Arrays.stream(data.shape()).boxed().toList());
        weightBuffers.put(cacheKey, id);
        return id;
    }

    int addBuffer(Buffer.Kind kind, DType dtype, Dim size, String name, String packing, List<Long> shape) {
        int id = buffers.size();
        buffers.add(new Buffer(id, kind, dtype, size, name, packing, shape, -1));
        return id;
    }

    /** A new intermediate buffer for a value of {@code dtype} and {@code shape}. */
    int temp(DType dtype, List<Dim> shape) {
        return addBuffer(Buffer.Kind.TEMP, dtype, product(shape), "", "", List.of());
    }

    /** A new intermediate buffer holding value {@code v}. */
    int output(Value v) {
        int b = temp(v.type().dtype(), v.type().shape());
        define(v, b);
        return b;
    }

    void define(Value v, int buffer) {
        views.put(v.id(), new View(buffer, v.type().shape(), v.type().dtype()));
    }

    void alias(Value out, Value in) {
        View v = view(in);
        views.put(out.id(), new View(v.buffer(), out.type().shape(), out.type().dtype()));
    }

    void emit(Kernel k) {
        kernels.add(k);
    }

    // ---- index helpers -------------------------------------------------------------------------

    static Dim product(List<Dim> shape) {
        Dim p = Dim.of(1);
        for (Dim d : shape) p = p.times(d);
        return p;
    }

    static Dim product(List<Dim> shape, int from, int to) {
        return product(shape.subList(from, to));
    }

    /** Row-major strides of {@code shape}. */
    static List<Dim> strides(List<Dim> shape) {
        Dim[] s = new Dim[shape.size()];
        Dim stride = Dim.of(1);
        for (int d = shape.size() - 1; d >= 0; d--) {
            s[d] = stride;
            stride = stride.times(shape.get(d));
        }
        return List.of(s);
    }

    /**
     * A load of {@code v} broadcast (numpy rules, dims aligned at the end) to {@code outShape} whose
     * dim d is loop variable {@code firstVar + d}.
     */
    Scalar.Load broadcastLoad(Value v, List<Dim> outShape, int firstVar) {
        View view = view(v);
        return broadcastLoad(view, outShape, firstVar);
    }

    static Scalar.Load broadcastLoad(View view, List<Dim> outShape, int firstVar) {
        List<Dim> strides = strides(view.shape());
        int shift = outShape.size() - view.rank();
        Affine index = Affine.ZERO;
        for (int d = 0; d < view.rank(); d++) {
            Dim size = view.shape().get(d);
            Dim target = outShape.get(shift + d);
            boolean stretched = size.isConstant() && size.constant().getAsLong() == 1 && !size.equals(target);
            if (!stretched) index = index.plus(Affine.term(firstVar + shift + d, strides.get(d)));
        }
        return new Scalar.Load(view.buffer(), index, view.dtype());
    }

    /** A load of {@code v} at the dims given by loop variables {@code vars[d]} (one per dim of v). */
    Scalar.Load load(Value v, int... vars) {
        View view = view(v);
        List<Dim> strides = strides(view.shape());
        Affine index = Affine.ZERO;
        for (int d = 0; d < vars.length; d++) index = index.plus(Affine.term(vars[d], strides.get(d)));
        return new Scalar.Load(view.buffer(), index, view.dtype());
    }

    /** A loop over {@code v}'s shape writing {@code body} to v's new buffer in row-major order. */
    void elementwise(String label, Value out, Scalar body) {
        int b = output(out);
        List<Dim> shape = out.type().shape();
        emit(new Kernel.Loop(label, b, Affine.rowMajor(shape, 0), shape, null, body));
    }

    static boolean isOne(Dim d) {
        return d.isConstant() && d.constant().getAsLong() == 1;
    }

    /** Whether {@code b - a} is provably non-negative. */
    static boolean le(Dim a, Dim b) {
        return b.minus(a).isProvablyNonNegative();
    }
}
