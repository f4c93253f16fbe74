package dev.lathe.bench.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import dev.lathe.ir.Dim;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphInput;
import dev.lathe.ir.GraphOutput;
import dev.lathe.ir.Node;
import dev.lathe.ir.Param;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a bound Lathe {@link Graph} as an ONNX model (IR version 8, default-domain opset 17) on the
 * protobuf classes that {@code tribuo-util-onnx} ships ({@code ai.onnx.proto.OnnxMl}). Every node
 * becomes the ONNX operators an exporter such as {@code torch.onnx} would emit for it, so that ONNX
 * Runtime sees the patterns its graph optimizer knows (Gemm, MatMul + Add, the erf form of GELU,
 * LayerNormalization, Conv + BatchNormalization):
 *
 * <ul>
 *   <li>{@code linear}: {@code Gemm(transB = 1)} on 2-D inputs, otherwise {@code MatMul} with the
 *       weight stored transposed plus {@code Add} of the bias; {@code lowrank_linear}: two of those.
 *   <li>8-bit {@code quantized_linear}: int8 weights with {@code DequantizeLinear} (QDQ) or
 *       {@code DynamicQuantizeLinear} + {@code MatMulInteger} ({@link Int8}).
 *   <li>{@code gelu}: {@code 0.5 * x * (1 + Erf(x / sqrt 2))} (opset 17 has no Gelu), or the tanh form.
 *   <li>{@code attention}: either decomposed ({@code Reshape}/{@code Transpose} into heads,
 *       {@code MatMul}, {@code Mul} by the scale, {@code Softmax}, {@code MatMul}, back), or ONNX
 *       Runtime's fused {@code com.microsoft.MultiHeadAttention} contrib operator ({@link Attention#CONTRIB}).
 * </ul>
 *
 * Params become initializers named by their paths (only those some node reads); graph inputs and
 * outputs keep their names, symbolic dims become {@code dim_param}s. An op without a translation here
 * is an {@link UnsupportedOperationException} naming it.
 */
public final class OnnxWriter {
    /** The default-domain opset the writer targets. */
    public static final int OPSET = 17;
    /** ONNX IR version 8 (ONNX 1.13, the first with opset 18 defined; ORT 1.22 reads up to 10). */
    public static final int IR_VERSION = 8;
    static final String MS_DOMAIN = "com.microsoft";

    /** How {@code attention} nodes are written. */
    public enum Attention {
        /** Standard opset-17 operators only (what torch.onnx emits for scaled dot-product attention). */
        DECOMPOSED,
        /** ONNX Runtime's fused CPU kernel {@code com.microsoft.MultiHeadAttention} (not standard ONNX). */
        CONTRIB
    }

    /** How 8-bit {@code quantized_linear} nodes (per-channel or per-tensor weights, not DGQ) are written. */
    public enum Int8 {
        /**
         * Weight-only QDQ: {@code DequantizeLinear} of the int8 weight (per-axis scales and zero points),
         * then {@code MatMul} and {@code Add}: the same f32 result as Lathe's weight-only layer.
         */
        QDQ,
        /**
         * What {@code onnxruntime.quantization.quantize_dynamic} emits: {@code DynamicQuantizeLinear} of
         * the activations (u8, per tensor), {@code MatMulInteger} with the int8 weight, {@code Cast}, then
         * {@code Mul} by the activation and weight scales and {@code Add} of the bias. Rounding the
         * activations to 8 bits changes the result: it is compared, not required to agree.
         */
        DYNAMIC
    }

    private final Graph graph;
    private final Attention attention;
    private final Int8 int8;
    private final GraphProto.Builder out = GraphProto.newBuilder();
    private final Map<Integer, String> names = new HashMap<>();
    private final Map<Integer, Param> params = new HashMap<>();
    private final Set<String> initializers = new HashSet<>();
    private final Map<String, String> transposed = new HashMap<>();
    private boolean usesContrib;
    private int counter;

    private OnnxWriter(Graph graph, Attention attention, Int8 int8) {
        this.graph = graph;
        this.attention = attention;
        this.int8 = int8;
    }

    /** The ONNX model of a bound graph. */
    public static ModelProto export(Graph bound, Attention attention) {
        return export(bound, attention, Int8.QDQ);
    }

    /** The ONNX model of a bound graph, its 8-bit quantized layers written as {@code int8} says. */
    public static ModelProto export(Graph bound, Attention attention, Int8 int8) {
        if (!bound.isBound()) throw new IllegalArgumentException("graph " + bound.name() + " has unbound params");
        return new OnnxWriter(bound, attention, int8).build();
    }

    public static byte[] toBytes(Graph bound, Attention attention) {
        return export(bound, attention).toByteArray();
    }

    public static byte[] toBytes(Graph bound, Attention attention, Int8 int8) {
        return export(bound, attention, int8).toByteArray();
    }

    public static void write(Graph bound, Attention attention, Path file) throws IOException {
        Files.write(file, toBytes(bound, attention));
    }

    private ModelProto build() {
        out.setName(graph.name());
        for (GraphInput in : graph.inputs()) {
            names.put(in.value().id(), in.name());
            out.addInput(valueInfo(in.name(), in.value().type()));
        }
        for (Param p : graph.params()) params.put(p.value().id(), p);
        // A node output that is a graph output takes the output's name (the first such output).
        Map<Integer, String> outputNames = new HashMap<>();
        for (GraphOutput o : graph.outputs()) outputNames.putIfAbsent(o.value().id(), o.name());
        for (Node n : graph.nodes()) {
            for (Value v : n.outputs()) names.put(v.id(), outputNames.getOrDefault(v.id(), "t" + v.id()));
        }
        for (Node n : graph.nodes()) translate(n);
        for (GraphOutput o : graph.outputs()) {
            String produced = name(o.value());
            if (!produced.equals(o.name())) node("Identity", List.of(produced), List.of(o.name()));
            out.addOutput(valueInfo(o.name(), o.value().type()));
        }
        ModelProto.Builder model = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("lathe-bench")
                .setProducerVersion("0.1.0")
                .setGraph(out)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        if (usesContrib) model.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(MS_DOMAIN).setVersion(1));
        return model.build();
    }

    // ---- nodes ------------------------------------------------------------------------------------

    private void translate(Node node) {
        switch (node) {
            case Node.Linear n -> linear(name(n.x()), n.x().type().rank(), n.w(), n.b(), name(n.out()));
            case Node.LowRankLinear n -> {
                String mid = fresh("lowrank");
                linear(name(n.x()), n.x().type().rank(), n.a(), null, mid);
                linear(mid, n.x().type().rank(), n.b(), n.bias(), name(n.out()));
            }
            case Node.MatMul n -> node("MatMul", List.of(name(n.a()), name(n.b())), List.of(name(n.out())));
            case Node.Unary n -> unary(n);
            case Node.Gelu n -> gelu(name(n.x()), n.tanhApproximation(), name(n.out()));
            case Node.LeakyRelu n -> node("LeakyRelu", List.of(name(n.x())), List.of(name(n.out())), floatAttr("alpha", n.alpha()));
            case Node.Clip n -> node("Clip", List.of(name(n.x()),
                    n.min() == null ? "" : scalar(n.x().type().dtype(), n.min()),
                    n.max() == null ? "" : scalar(n.x().type().dtype(), n.max())), List.of(name(n.out())));
            case Node.Binary n -> node(switch (n.kind()) {
                case ADD -> "Add";
                case SUB -> "Sub";
                case MUL -> "Mul";
                case DIV -> "Div";
                case POW -> "Pow";
                case MAX -> "Max";
                case MIN -> "Min";
            }, List.of(name(n.a()), name(n.b())), List.of(name(n.out())));
            case Node.Compare n -> node(switch (n.kind()) {
                case EQUAL -> "Equal";
                case LESS -> "Less";
                case GREATER -> "Greater";
            }, List.of(name(n.a()), name(n.b())), List.of(name(n.out())));
            case Node.Where n -> node("Where", List.of(name(n.cond()), name(n.a()), name(n.b())), List.of(name(n.out())));
            case Node.Softmax n -> node(n.log() ? "LogSoftmax" : "Softmax", List.of(name(n.x())), List.of(name(n.out())),
                    intAttr("axis", n.axis()));
            case Node.LayerNorm n -> {
                List<String> ins = new ArrayList<>(List.of(name(n.x()), name(n.w())));
                if (n.b() != null) ins.add(name(n.b()));
                node("LayerNormalization", ins, List.of(name(n.out())), intAttr("axis", n.axis()), floatAttr("epsilon", n.eps()));
            }
            case Node.RmsNorm n -> {
                // x * w / sqrt(mean(x^2, last) + eps): opset 17 has no RMSNormalization.
                DType t = n.x().type().dtype();
                String sq = fresh("rms_sq");
                node("Mul", List.of(name(n.x()), name(n.x())), List.of(sq));
                String mean = fresh("rms_mean");
                node("ReduceMean", List.of(sq), List.of(mean), intsAttr("axes", List.of((long) n.x().type().rank() - 1)), intAttr("keepdims", 1));
                String eps = fresh("rms_eps");
                node("Add", List.of(mean, scalar(t, n.eps())), List.of(eps));
                String root = fresh("rms_root");
                node("Sqrt", List.of(eps), List.of(root));
                String norm = fresh("rms_norm");
                node("Div", List.of(name(n.x()), root), List.of(norm));
                node("Mul", List.of(norm, name(n.w())), List.of(name(n.out())));
            }
            case Node.BatchNorm n -> node("BatchNormalization",
                    List.of(name(n.x()), name(n.scale()), name(n.bias()), name(n.mean()), name(n.var())), List.of(name(n.out())),
                    floatAttr("epsilon", n.eps()));
            case Node.Reshape n -> {
                long[] shape = new long[n.shape().size()];
                for (int i = 0; i < shape.length; i++) {
                    Dim d = n.shape().get(i);
                    if (d.isConstant()) {
                        shape[i] = d.constant().getAsLong();
                    } else if (i < n.x().type().rank() && Dim.same(d, n.x().type().dim(i))) {
                        shape[i] = 0; // copy the input's dim
                    } else {
                        throw new UnsupportedOperationException("reshape to a symbolic shape " + n.shape() + " is not exported");
                    }
                }
                node("Reshape", List.of(name(n.x()), longs(shape)), List.of(name(n.out())));
            }
            case Node.Transpose n -> node("Transpose", List.of(name(n.x())), List.of(name(n.out())),
                    intsAttr("perm", n.perm().stream().map(Integer::longValue).toList()));
            case Node.Flatten n -> node("Flatten", List.of(name(n.x())), List.of(name(n.out())), intAttr("axis", n.axis()));
            case Node.Concat n -> node("Concat", n.xs().stream().map(this::name).toList(), List.of(name(n.out())), intAttr("axis", n.axis()));
            case Node.Squeeze n -> node("Squeeze", List.of(name(n.x()), longs(n.axes().stream().mapToLong(Integer::longValue).toArray())),
                    List.of(name(n.out())));
            case Node.Unsqueeze n -> node("Unsqueeze", List.of(name(n.x()), longs(n.axes().stream().mapToLong(Integer::longValue).toArray())),
                    List.of(name(n.out())));
            case Node.Gather n -> node("Gather", List.of(name(n.x()), name(n.idx())), List.of(name(n.out())), intAttr("axis", n.axis()));
            case Node.Embedding n -> node("Gather", List.of(name(n.table()), name(n.idx())), List.of(name(n.out())), intAttr("axis", 0));
            case Node.Cast n -> node("Cast", List.of(name(n.x())), List.of(name(n.out())), intAttr("to", dataType(n.dtype()).getNumber()));
            case Node.ArgMax n -> node("ArgMax", List.of(name(n.x())), List.of(name(n.out())), intAttr("axis", n.axis()),
                    intAttr("keepdims", n.keepdims() ? 1 : 0), intAttr("select_last_index", 0));
            case Node.Reduce n -> {
                List<Long> axes = n.axes().stream().map(Integer::longValue).toList();
                String op = switch (n.kind()) {
                    case SUM -> "ReduceSum";
                    case MEAN -> "ReduceMean";
                    case MAX -> "ReduceMax";
                    case MIN -> "ReduceMin";
                };
                if (n.kind() == Node.ReduceKind.SUM) { // axes became an input in opset 13
                    node(op, List.of(name(n.x()), longs(axes.stream().mapToLong(Long::longValue).toArray())), List.of(name(n.out())),
                            intAttr("keepdims", n.keepdims() ? 1 : 0), intAttr("noop_with_empty_axes", 1));
                } else {
                    node(op, List.of(name(n.x())), List.of(name(n.out())), intsAttr("axes", axes), intAttr("keepdims", n.keepdims() ? 1 : 0));
                }
            }
            case Node.Conv2d n -> {
                List<String> ins = new ArrayList<>(List.of(name(n.x()), name(n.w())));
                if (n.b() != null) ins.add(name(n.b()));
                long[] w = n.w().type().staticShape();
                node("Conv", ins, List.of(name(n.out())),
                        intsAttr("kernel_shape", List.of(w[2], w[3])),
                        intsAttr("strides", n.stride().stream().map(Integer::longValue).toList()),
                        // Lathe's [top, left, bottom, right] is ONNX's [x1_begin, x2_begin, x1_end, x2_end].
                        intsAttr("pads", n.pads().stream().map(Integer::longValue).toList()),
                        intsAttr("dilations", n.dilation().stream().map(Integer::longValue).toList()),
                        intAttr("group", n.groups()));
            }
            case Node.Pool2d n -> {
                List<AttributeProto> attrs = new ArrayList<>(List.of(
                        intsAttr("kernel_shape", n.kernel().stream().map(Integer::longValue).toList()),
                        intsAttr("strides", n.stride().stream().map(Integer::longValue).toList()),
                        intsAttr("pads", n.pads().stream().map(Integer::longValue).toList())));
                if (n.kind() == Node.PoolKind.AVG) attrs.add(intAttr("count_include_pad", 0));
                node(n.kind() == Node.PoolKind.MAX ? "MaxPool" : "AveragePool", List.of(name(n.x())), List.of(name(n.out())),
                        attrs.toArray(AttributeProto[]::new));
            }
            case Node.GlobalAvgPool n -> node("GlobalAveragePool", List.of(name(n.x())), List.of(name(n.out())));
            case Node.Attention n -> attention(n);
            case Node.QuantizedLinear n -> quantizedLinear(n);
            case Node.Constant n -> initializer(name(n.out()), n.value());
            default -> throw new UnsupportedOperationException("the ONNX writer does not export " + node.opName());
        }
    }

    /** {@code out = x @ transpose(w) + b}. */
    private void linear(String x, int rank, Value w, Value b, String result) {
        if (rank == 2) {
            List<String> ins = new ArrayList<>(List.of(x, name(w)));
            if (b != null) ins.add(name(b));
            node("Gemm", ins, List.of(result), intAttr("transB", 1));
            return;
        }
        String wt = transposedParam(w);
        String prod = b == null ? result : fresh("matmul");
        node("MatMul", List.of(x, wt), List.of(prod));
        if (b != null) node("Add", List.of(prod, name(b)), List.of(result));
    }

    /**
     * An 8-bit weight-quantized linear layer (tensor or channel scales, symmetric i8 or asymmetric u8)
     * as {@link Int8} says. The integer weight is stored transposed, [in, out], so that the scales run
     * along axis 1 and MatMul / MatMulInteger take it as B.
     */
    private void quantizedLinear(Node.QuantizedLinear n) {
        if (n.bits() != 8 || n.dgq() || n.granularity() == Node.QuantGranularity.GROUP) {
            throw new UnsupportedOperationException("the ONNX writer exports 8-bit per-tensor or per-channel quantized_linear only");
        }
        Param q = params.get(n.q().id());
        Param scales = params.get(n.scales().id());
        Param zeros = n.zeros() == null ? null : params.get(n.zeros().id());
        if (q == null || scales == null || (n.zeros() != null && zeros == null)) {
            throw new UnsupportedOperationException("quantized_linear whose integers and scales are not params");
        }
        long[] s = q.data().shape();
        int outDim = (int) s[0], in = (int) s[1];
        long[] qt = new long[outDim * in];
        for (int o = 0; o < outDim; o++) {
            for (int i = 0; i < in; i++) qt[i * outDim + o] = q.data().getLong(o * in + i);
        }
        DType qType = q.data().dtype();
        String weight = q.path() + ".T";
        initializer(weight, Tensor.ofLongs(qType, new long[] {in, outDim}, qt));
        boolean perChannel = n.granularity() == Node.QuantGranularity.CHANNEL;
        long[] scaleShape = perChannel ? new long[] {outDim} : new long[0];
        String scale = fresh(scales.path());
        initializer(scale, Tensor.fromDoubles(DType.F32, scaleShape, scales.data().toDoubleArray()));
        String zero = fresh(q.path() + ".zero");
        initializer(zero, zeros == null ? Tensor.ofLongs(qType, scaleShape, new long[perChannel ? outDim : 1])
                : Tensor.ofLongs(qType, scaleShape, zeros.data().toLongArray()));
        String x = name(n.x());
        String product = n.bias() == null ? name(n.out()) : fresh("qmatmul");
        if (int8 == Int8.QDQ) {
            String w = fresh("dequantized");
            node("DequantizeLinear", List.of(weight, scale, zero), List.of(w), intAttr("axis", 1));
            node("MatMul", List.of(x, w), List.of(product));
        } else {
            String xq = fresh("xq"), xs = fresh("x_scale"), xz = fresh("x_zero"), acc = fresh("acc"), accf = fresh("acc_f32"), ws = fresh("scale");
            node("DynamicQuantizeLinear", List.of(x), List.of(xq, xs, xz));
            node("MatMulInteger", List.of(xq, weight, xz, zero), List.of(acc));
            node("Cast", List.of(acc), List.of(accf), intAttr("to", TensorProto.DataType.FLOAT.getNumber()));
            node("Mul", List.of(xs, scale), List.of(ws));
            node("Mul", List.of(accf, ws), List.of(product));
        }
        if (n.bias() != null) node("Add", List.of(product, name(n.bias())), List.of(name(n.out())));
    }

    private void unary(Node.Unary n) {
        String x = name(n.x()), y = name(n.out());
        switch (n.kind()) {
            case NEG -> node("Neg", List.of(x), List.of(y));
            case ABS -> node("Abs", List.of(x), List.of(y));
            case EXP -> node("Exp", List.of(x), List.of(y));
            case LOG -> node("Log", List.of(x), List.of(y));
            case SQRT -> node("Sqrt", List.of(x), List.of(y));
            case RSQRT -> {
                String s = fresh("sqrt");
                node("Sqrt", List.of(x), List.of(s));
                node("Reciprocal", List.of(s), List.of(y));
            }
            case ERF -> node("Erf", List.of(x), List.of(y));
            case TANH -> node("Tanh", List.of(x), List.of(y));
            case SIGMOID -> node("Sigmoid", List.of(x), List.of(y));
            case RELU -> node("Relu", List.of(x), List.of(y));
            case SILU -> {
                String s = fresh("sigmoid");
                node("Sigmoid", List.of(x), List.of(s));
                node("Mul", List.of(x, s), List.of(y));
            }
            case SOFTPLUS -> node("Softplus", List.of(x), List.of(y));
        }
    }

    /** The patterns torch.onnx emits for nn.GELU, which ONNX Runtime's GeluFusion recognizes. */
    private void gelu(String x, boolean tanh, String y) {
        if (!tanh) {
            String div = fresh("gelu_div"), erf = fresh("gelu_erf"), add = fresh("gelu_add"), mul = fresh("gelu_mul");
            node("Div", List.of(x, scalar(DType.F32, Math.sqrt(2))), List.of(div));
            node("Erf", List.of(div), List.of(erf));
            node("Add", List.of(erf, scalar(DType.F32, 1)), List.of(add));
            node("Mul", List.of(x, add), List.of(mul));
            node("Mul", List.of(mul, scalar(DType.F32, 0.5)), List.of(y));
            return;
        }
        // 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))
        String cube = fresh("gelu_cube"), scaled = fresh("gelu_c"), inner = fresh("gelu_inner"), arg = fresh("gelu_arg");
        String th = fresh("gelu_tanh"), add = fresh("gelu_add"), mul = fresh("gelu_mul");
        node("Pow", List.of(x, scalar(DType.F32, 3)), List.of(cube));
        node("Mul", List.of(cube, scalar(DType.F32, 0.044715)), List.of(scaled));
        node("Add", List.of(x, scaled), List.of(inner));
        node("Mul", List.of(inner, scalar(DType.F32, Math.sqrt(2 / Math.PI))), List.of(arg));
        node("Tanh", List.of(arg), List.of(th));
        node("Add", List.of(th, scalar(DType.F32, 1)), List.of(add));
        node("Mul", List.of(x, add), List.of(mul));
        node("Mul", List.of(mul, scalar(DType.F32, 0.5)), List.of(y));
    }

    private void attention(Node.Attention n) {
        if (n.mask() != null || n.causal()) {
            throw new UnsupportedOperationException("the ONNX writer exports attention without mask or causal masking only");
        }
        long d = n.q().type().dim(2).constant().orElseThrow(() -> new UnsupportedOperationException("attention with a symbolic model dim"));
        long dv = n.v().type().dim(2).constant().orElseThrow(() -> new UnsupportedOperationException("attention with a symbolic value dim"));
        int h = n.heads();
        double scale = n.scaleFor(d / h);
        if (attention == Attention.CONTRIB) {
            usesContrib = true;
            out.addNode(NodeProto.newBuilder().setOpType("MultiHeadAttention").setDomain(MS_DOMAIN).setName(fresh("node"))
                    .addInput(name(n.q())).addInput(name(n.k())).addInput(name(n.v())).addOutput(name(n.out()))
                    .addAttribute(intAttr("num_heads", h)).addAttribute(floatAttr("scale", scale)));
            return;
        }
        String qh = heads(name(n.q()), h, d / h, List.of(0L, 2L, 1L, 3L));   // [B, H, SQ, dh]
        String kt = heads(name(n.k()), h, d / h, List.of(0L, 2L, 3L, 1L));   // [B, H, dh, SK]
        String vh = heads(name(n.v()), h, dv / h, List.of(0L, 2L, 1L, 3L));  // [B, H, SK, dv]
        String scores = fresh("att_scores"), scaled = fresh("att_scaled"), probs = fresh("att_probs"), ctx = fresh("att_ctx"), merged = fresh("att_merged");
        node("MatMul", List.of(qh, kt), List.of(scores));
        node("Mul", List.of(scores, scalar(DType.F32, scale)), List.of(scaled));
        node("Softmax", List.of(scaled), List.of(probs), intAttr("axis", -1));
        node("MatMul", List.of(probs, vh), List.of(ctx));
        node("Transpose", List.of(ctx), List.of(merged), intsAttr("perm", List.of(0L, 2L, 1L, 3L)));
        node("Reshape", List.of(merged, longs(new long[] {0, 0, dv})), List.of(name(n.out())));
    }

    /** x [B, S, H * dh] to [B, S, H, dh], then transposed by {@code perm}. */
    private String heads(String x, int h, long dh, List<Long> perm) {
        String split = fresh("att_split"), moved = fresh("att_heads");
        node("Reshape", List.of(x, longs(new long[] {0, 0, h, dh})), List.of(split));
        node("Transpose", List.of(split), List.of(moved), intsAttr("perm", perm));
        return moved;
    }

    // ---- values -----------------------------------------------------------------------------------

    /** The ONNX name of a value; a param read for the first time becomes an initializer. */
    private String name(Value v) {
        Param p = params.get(v.id());
        if (p != null) {
            if (initializers.add(p.path())) out.addInitializer(tensor(p.path(), p.data()));
            return p.path();
        }
        String n = names.get(v.id());
        if (n == null) throw new IllegalStateException("value " + v.ref() + " is used before it is defined");
        return n;
    }

    /** A 2-D param stored transposed (an initializer {@code path.T}), for MatMul. */
    private String transposedParam(Value w) {
        Param p = params.get(w.id());
        if (p == null) {
            String t = fresh("wt");
            node("Transpose", List.of(name(w)), List.of(t), intsAttr("perm", List.of(1L, 0L)));
            return t;
        }
        return transposed.computeIfAbsent(p.path(), path -> {
            Tensor data = p.data();
            long[] s = data.shape();
            int rows = (int) s[0], cols = (int) s[1];
            float[] src = data.toFloatArray(), dst = new float[src.length];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) dst[j * rows + i] = src[i * cols + j];
            }
            String name = path + ".T";
            out.addInitializer(tensor(name, Tensor.ofFloats(data.dtype(), new long[] {cols, rows}, dst)));
            return name;
        });
    }

    private String scalar(DType dtype, double value) {
        String n = fresh("const");
        initializer(n, Tensor.fromDoubles(dtype, new long[0], new double[] {value}));
        return n;
    }

    private String longs(long[] values) {
        String n = fresh("shape");
        initializer(n, Tensor.ofLongs(DType.I64, new long[] {values.length}, values));
        return n;
    }

    private void initializer(String name, Tensor value) {
        out.addInitializer(tensor(name, value));
        initializers.add(name);
    }

    private String fresh(String prefix) {
        return prefix + "_" + (counter++);
    }

    private void node(String op, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
        NodeProto.Builder b = NodeProto.newBuilder().setOpType(op).setName(op + "_" + (counter++)).addAllInput(inputs).addAllOutput(outputs);
        for (AttributeProto a : attrs) b.addAttribute(a);
        out.addNode(b);
    }

    // ---- protobuf helpers -------------------------------------------------------------------------

    static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(v).build();
    }

    static AttributeProto floatAttr(String name, double v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOAT).setF((float) v).build();
    }

    static AttributeProto intsAttr(String name, List<Long> v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS).addAllInts(v).build();
    }

    static TensorProto.DataType dataType(DType t) {
        return switch (t) {
            case F32 -> TensorProto.DataType.FLOAT;
            case F16 -> TensorProto.DataType.FLOAT16;
            case BF16 -> TensorProto.DataType.BFLOAT16;
            case F64 -> TensorProto.DataType.DOUBLE;
            case I64 -> TensorProto.DataType.INT64;
            case I32 -> TensorProto.DataType.INT32;
            case I8 -> TensorProto.DataType.INT8;
            case U8 -> TensorProto.DataType.UINT8;
            case BOOL -> TensorProto.DataType.BOOL;
            case I4, U4 -> throw new UnsupportedOperationException("the ONNX writer does not export " + t.sourceName() + " tensors");
        };
    }

    /** A tensor as little-endian raw data. */
    static TensorProto tensor(String name, Tensor t) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(dataType(t.dtype()).getNumber());
        for (long d : t.shape()) b.addDims(d);
        int n = t.size();
        ByteBuffer buf;
        switch (t.dtype()) {
            case F32 -> {
                buf = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(t.toFloatArray());
            }
            case F64 -> {
                buf = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
                buf.asDoubleBuffer().put(t.toDoubleArray());
            }
            case I64 -> {
                buf = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
                buf.asLongBuffer().put(t.toLongArray());
            }
            case I32 -> {
                buf = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
                for (long v : t.toLongArray()) buf.putInt((int) v);
            }
            case I8, U8, BOOL -> {
                buf = ByteBuffer.allocate(n);
                for (int i = 0; i < n; i++) buf.put((byte) (t.dtype() == DType.BOOL ? (t.getBoolean(i) ? 1 : 0) : t.getLong(i)));
            }
            case F16 -> {
                buf = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : t.toFloatArray()) buf.putShort(Float.floatToFloat16(v));
            }
            case BF16 -> {
                buf = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : t.toFloatArray()) buf.putShort((short) (Float.floatToRawIntBits(v) >>> 16)); // exact: values are bf16
            }
            default -> throw new UnsupportedOperationException("the ONNX writer does not export " + t.dtype().sourceName() + " tensors");
        }
        return b.setRawData(ByteString.copyFrom(buf.array())).build();
    }

    static ValueInfoProto valueInfo(String name, TensorType type) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Dim d : type.shape()) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d.isConstant()) dim.setDimValue(d.constant().getAsLong());
            else dim.setDimParam(d.toString());
            shape.addDim(dim);
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(dataType(type.dtype()).getNumber()).setShape(shape)))
                .build();
    }
}
