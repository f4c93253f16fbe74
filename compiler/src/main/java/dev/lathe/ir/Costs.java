package dev.lathe.ir;

import dev.lathe.runtime.DType;
import java.util.List;

/**
 * Static cost estimates for pass reports and the cost model. FLOPs are symbolic (a {@link Dim}
 * in the graph's dims) and count one multiply-add as 2 FLOPs. Conventions per op, with
 * {@code numel(t)} the element count of t:
 * <ul>
 *   <li>elementwise (unary incl. gelu/leaky_relu/clip, binary, compare, where, cast): 1 per
 *       output element, whatever the scalar function costs;</li>
 *   <li>matmul {@code [..., M, K] @ [..., K, N]}: {@code 2 * numel(out) * K} (2*M*N*K per batch);
 *       linear: {@code 2 * numel(out) * I}, plus {@code numel(out)} for the bias;
 *       lowrank_linear of rank R: {@code 2 * numel(x) * R + 2 * numel(out) * R}, plus the bias;
 *       quantized_linear as the linear layer it stands for; sparse_linear: {@code 2 * rows * nnz}, plus the bias;</li>
 *   <li>sum/mean/max/min/argmax: 1 per input element; global_avg_pool likewise;</li>
 *   <li>softmax and log_softmax: 5 per element (max, subtract, exp, sum, divide or log);</li>
 *   <li>layer_norm: 6 per element (mean, subtract, square, sum, normalize, scale), plus 1 with a
 *       bias; rms_norm: 4 (square, sum, normalize, scale); batch_norm: 2 (scale and shift folded);</li>
 *   <li>conv2d: {@code 2 * N * O * OH * OW * (C / groups) * KH * KW}, plus {@code numel(out)}
 *       for the bias; pooling: {@code numel(out) * KH * KW};</li>
 *   <li>attention {@code q [B, SQ, D], k [B, SK, D], v [B, SK, DV]}:
 *       {@code 2 * B * SQ * SK * D} for the scores plus {@code 2 * B * SQ * SK * DV} for the
 *       weighted sum (so {@code 4 * B * SQ * SK * D} when DV = D), plus softmax over the
 *       {@code B * heads * SQ * SK} scores at 5 each (scaling and masking not counted);</li>
 *   <li>linear_attention: linear in the sequence lengths, {@code B * (SQ + SK)} tokens at
 *       {@code 2 m (D + DV + heads)} (favor, m features), {@code 2 D (DV / heads + 1)} (elu),
 *       {@code 2 l (D + DV)} (nystrom, l landmarks; the pseudo-inverse not counted); window w:
 *       {@code 2 * B * SQ * (2w - 1, or w when causal) * (D + DV)};</li>
 *   <li>data movement (reshape, transpose, flatten, concat, split, slice, squeeze, unsqueeze,
 *       gather, embedding, constant): 0.</li>
 * </ul>
 */
public final class Costs {
    private Costs() {}

    public static Dim flops(Node node) {
        Dim out = numel(node.outputs().getFirst().type());
        return switch (node) {
            case Node.Unary n -> out;
            case Node.Gelu n -> out;
            case Node.LeakyRelu n -> out;
            case Node.Clip n -> out;
            case Node.Binary n -> out;
            case Node.Compare n -> out;
            case Node.Where n -> out;
            case Node.Cast n -> out;
            case Node.MatMul n -> out.times(2).times(n.a().type().dim(-1));
            case Node.Linear n -> out.times(2).times(n.x().type().dim(-1)).plus(n.b() == null ? Dim.of(0) : out);
            // x [rows, I] @ a^T [I, R] then [rows, R] @ b^T [R, O]: 2 * rows * R * (I + O).
            case Node.LowRankLinear n -> numel(n.x().type()).times(2 * n.rank())
                    .plus(out.times(2 * n.rank()))
                    .plus(n.bias() == null ? Dim.of(0) : out);
            // The same multiply-adds as the linear layer it stands for; dequantization is not counted.
            case Node.QuantizedLinear n -> out.times(2).times(n.x().type().dim(-1)).plus(n.bias() == null ? Dim.of(0) : out);
            // rows = numel(out) / O; each row multiplies every stored weight once: 2 * rows * nnz.
            case Node.SparseLinear n -> out.times(2 * n.nnz()).divExact(Dim.of(n.format().rows())).orElseThrow()
                    .plus(n.bias() == null ? Dim.of(0) : out);
            case Node.Reduce n -> numel(n.x().type());
            case Node.ArgMax n -> numel(n.x().type());
            case Node.GlobalAvgPool n -> numel(n.x().type());
            case Node.Softmax n -> out.times(5);
            case Node.LayerNorm n -> out.times(n.b() == null ? 6 : 7);
            case Node.RmsNorm n -> out.times(4);
            case Node.BatchNorm n -> out.times(2);
            case Node.Conv2d n -> {
                TensorType w = n.w().type(); // [O, C / groups, KH, KW]
                Dim macs = out.times(w.dim(1)).times(w.dim(2)).times(w.dim(3));
                yield macs.times(2).plus(n.b() == null ? Dim.of(0) : out);
            }
            case Node.Pool2d n -> out.times(n.kernel().get(0) * (long) n.kernel().get(1));
            case Node.Attention n -> {
                TensorType q = n.q().type(), k = n.k().type(), v = n.v().type();
                Dim scores = q.dim(0).times(q.dim(1)).times(k.dim(1)); // B * SQ * SK
                yield scores.times(2).times(q.dim(2).plus(v.dim(2))).plus(scores.times(n.heads()).times(5));
            }
            case Node.LinearAttention n -> {
                TensorType q = n.q().type(), k = n.k().type(), v = n.v().type();
                Dim tokens = q.dim(0).times(q.dim(1).plus(k.dim(1))); // B * (SQ + SK)
                yield switch (n.method()) {
                    // features of q and k (2 m D), then phi(K)^T V and phi(Q) (.) per head: 2 m (DV + heads) per token
                    case FAVOR -> tokens.times(2L * n.size()).times(q.dim(2).plus(v.dim(2)).plus(n.heads()));
                    // phi(K)^T V and phi(Q) (.) per head: 2 D (DV / heads + 1) per token
                    case ELU -> tokens.times(2).times(q.dim(2)).times(v.dim(2).divExact(Dim.of(n.heads())).orElse(v.dim(2)).plus(1));
                    case NYSTROM -> tokens.times(2L * n.size()).times(q.dim(2).plus(v.dim(2)));
                    // each query sees at most 2 w - 1 keys (w when causal)
                    case WINDOW -> q.dim(0).times(q.dim(1)).times(2L * (n.causal() ? n.size() : 2L * n.size() - 1)).times(q.dim(2).plus(v.dim(2)));
                };
            }
            case Node.Reshape n -> Dim.of(0);
            case Node.Transpose n -> Dim.of(0);
            case Node.Flatten n -> Dim.of(0);
            case Node.Concat n -> Dim.of(0);
            case Node.Split n -> Dim.of(0);
            case Node.Slice n -> Dim.of(0);
            case Node.Squeeze n -> Dim.of(0);
            case Node.Unsqueeze n -> Dim.of(0);
            case Node.Gather n -> Dim.of(0);
            case Node.Embedding n -> Dim.of(0);
            case Node.Constant n -> Dim.of(0);
        };
    }

    /** The sum of {@link #flops(Node)} over the graph's nodes. */
    public static Dim flops(Graph graph) {
        Dim total = Dim.of(0);
        for (Node n : graph.nodes()) total = total.plus(flops(n));
        return total;
    }

    /** Number of elements of a param (params have static shapes, IrVerifier V4). */
    public static long paramCount(Param p) {
        long n = 1;
        for (long d : p.type().staticShape()) n = Math.multiplyExact(n, d);
        return n;
    }

    /** Storage bytes of a param in its declared element type; i4 and u4 pack two per byte. */
    public static long bytes(Param p) {
        long n = paramCount(p);
        DType t = p.type().dtype();
        return t == DType.I4 || t == DType.U4 ? (n + 1) / 2 : Math.multiplyExact(n, t.storageBytes());
    }

    /** Total param elements of a graph. */
    public static long params(Graph graph) {
        return sum(graph.params(), true);
    }

    /** Total param storage bytes of a graph. */
    public static long bytes(Graph graph) {
        return sum(graph.params(), false);
    }

    private static long sum(List<Param> params, boolean count) {
        long total = 0;
        for (Param p : params) total = Math.addExact(total, count ? paramCount(p) : bytes(p));
        return total;
    }

    private static Dim numel(TensorType t) {
        return OpTyping.product(t.shape());
    }
}
