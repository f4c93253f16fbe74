package dev.lathe.lower;

import dev.lathe.ir.Dim;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The Kernel IR as text, for {@code lathe ir --kernels} and debugging:
 * <pre>
 * kernels main
 *   in  x: f32[B, 784] -> b0
 *   b1 = weight fc1.weight f32[512, 784] packed gemm_t
 *   b3 = temp f32[B * 512] slot 0
 *   k0 gemm(fc1 + relu) b3[B, 512] = relu(b0[B, 784] · b1ᵀ + b2)
 *   k1 loop b4[i0] for i0 < B * 512: relu(b3[i0])
 *   out logits: f32[B, 10] <- b7
 * </pre>
 */
public final class KernelPrinter {
    private KernelPrinter() {}

    public static String print(KernelProgram p) {
        StringBuilder sb = new StringBuilder("kernels ").append(p.graphName()).append('\n');
        for (KernelProgram.Io in : p.inputs()) sb.append("  in  ").append(in.name()).append(": ").append(type(in.dtype(), in.shape())).append(" -> b").append(in.buffer()).append('\n');
        for (Buffer b : p.buffers()) {
            if (b.kind() == Buffer.Kind.INPUT) continue;
            sb.append("  b").append(b.id()).append(" = ").append(b.kind().name().toLowerCase(java.util.Locale.ROOT)).append(' ');
            if (b.kind() == Buffer.Kind.WEIGHT) sb.append(b.name()).append(' ').append(b.dtype().sourceName()).append(b.shape());
            else sb.append(b.dtype().sourceName()).append('[').append(b.size()).append(']');
            if (!b.packing().isEmpty()) sb.append(" packed ").append(b.packing());
            if (b.slot() >= 0) sb.append(" slot ").append(b.slot());
            sb.append('\n');
        }
        for (int i = 0; i < p.kernels().size(); i++) sb.append("  k").append(i).append(' ').append(kernel(p.kernels().get(i))).append('\n');
        for (KernelProgram.Io out : p.outputs()) sb.append("  out ").append(out.name()).append(": ").append(type(out.dtype(), out.shape())).append(" <- b").append(out.buffer()).append('\n');
        return sb.toString();
    }

    private static String type(dev.lathe.runtime.DType t, List<Dim> shape) {
        return t.sourceName() + shape.stream().map(Dim::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    static String kernel(Kernel k) {
        return switch (k) {
            case Kernel.Loop l -> {
                StringBuilder sb = new StringBuilder("loop (").append(l.label()).append(") b").append(l.out()).append('[').append(l.outIndex()).append("] for ");
                sb.append(ranges(l.extents(), 0));
                if (l.reduction() != null) {
                    Kernel.Reduction r = l.reduction();
                    sb.append(" with acc = ").append(r.op().name().toLowerCase(java.util.Locale.ROOT)).append(" over ").append(ranges(r.extents(), l.extents().size()))
                            .append(" of ").append(scalar(r.value()));
                    if (r.init() != null) sb.append(" from ").append(scalar(r.init()));
                }
                yield sb.append(": ").append(scalar(l.body())).toString();
            }
            case Kernel.Gemm g -> "gemm (" + g.label() + ") b" + g.c() + "[" + g.m() + ", " + g.n() + "] = " + (g.activation().equals("NONE") ? "" : g.activation().toLowerCase(java.util.Locale.ROOT))
                    + "(b" + g.a() + "[" + g.m() + ", " + g.k() + "] · b" + g.b() + (g.transB() ? "ᵀ" : "") + (g.packed() ? " (packed)" : "")
                    + (g.bias() >= 0 ? " + b" + g.bias() : "") + ")" + (g.residual() >= 0 ? " + b" + g.residual() : "");
            case Kernel.BatchedMatMul b -> "batched_matmul (" + b.label() + ") b" + b.c() + " = b" + b.a() + " · b" + b.b() + " batch " + b.batch() + " of ["
                    + b.m() + ", " + b.k() + "] · [" + b.k() + ", " + b.n() + "], strides " + b.strideA() + ", " + b.strideB();
            case Kernel.Conv c -> "conv2d (" + c.label() + ") b" + c.out() + " = " + (c.activation().equals("NONE") ? "" : c.activation().toLowerCase(java.util.Locale.ROOT))
                    + "(b" + c.x() + "[" + c.batch() + ", " + c.cin() + ", " + c.h() + ", " + c.w() + "] * b" + c.weight() + "[" + c.cout() + ", _, " + c.kh() + ", "
                    + c.kw() + "]" + (c.bias() >= 0 ? " + b" + c.bias() : "") + ") stride " + c.stride() + " pads " + c.pads() + " dilation " + c.dilation()
                    + " groups " + c.groups();
            case Kernel.Rows r -> r.op().name().toLowerCase(java.util.Locale.ROOT) + " (" + r.label() + ") b" + r.out() + " = rows of b" + r.x() + "[" + r.rows() + ", "
                    + r.cols() + "]" + (r.weight() >= 0 ? " w b" + r.weight() : "") + (r.bias() >= 0 ? " b b" + r.bias() : "")
                    + (r.op() == Kernel.RowOp.LAYER_NORM || r.op() == Kernel.RowOp.RMS_NORM ? " eps " + r.eps() : "");
            case Kernel.QuantGemm q -> "quant_gemm (" + q.label() + ") b" + q.c() + "[" + q.m() + ", " + q.n() + "] = b" + q.a() + "[" + q.m() + ", " + q.k()
                    + "] · deq(b" + q.q() + " " + (q.signed() ? "i" : "u") + q.bits() + ", scales b" + q.scales() + (q.zeros() >= 0 ? ", zeros b" + q.zeros() : "")
                    + (q.perRow() ? ", group " + q.group() : ", tensor") + ")ᵀ" + (q.bias() >= 0 ? " + b" + q.bias() : "") + (q.dynamic() ? " dynamic int8 activations" : "");
            case Kernel.LinearAttention a -> "linear_attention (" + a.label() + ") b" + a.out() + " = q b" + a.q() + ", k b" + a.k() + ", v b" + a.v()
                    + " batch " + a.batch() + " sq " + a.sq() + " sk " + a.sk() + " heads " + a.heads() + " dh " + a.dh() + " dv " + a.dv()
                    + " method " + a.method() + " size " + a.size() + " seed " + a.seed() + (Double.isNaN(a.scale()) ? "" : " scale " + a.scale())
                    + (a.causal() ? " causal" : "");
            case Kernel.SparseGemm g -> "sparse_gemm (" + g.label() + ") b" + g.y() + "[" + g.m() + ", " + g.out() + "] = "
                    + (g.activation().equals("NONE") ? "" : g.activation().toLowerCase(java.util.Locale.ROOT) + " ") + "b" + g.x() + "[" + g.m() + ", " + g.in()
                    + "] · (" + (g.blockRows() == 1 && g.blockCols() == 1 ? "csr" : "bsr " + g.blockRows() + "x" + g.blockCols()) + " values b" + g.values()
                    + " indices b" + g.indices() + " pointers b" + g.pointers() + ")ᵀ" + (g.bias() >= 0 ? " + b" + g.bias() : "")
                    + (g.dense() >= 0 ? ", dense b" + g.dense() + " from " + g.denseFromRows() + " rows" : "");
            case Kernel.Attention a -> "attention (" + a.label() + ") b" + a.out() + " = q b" + a.q() + ", k b" + a.k() + ", v b" + a.v() + " batch " + a.batch()
                    + " sq " + a.sq() + " sk " + a.sk() + " heads " + a.heads() + " dh " + a.dh() + " dv " + a.dv()
                    + (Double.isNaN(a.scale()) ? "" : " scale " + a.scale()) + (a.causal() ? " causal" : "")
                    + (a.mask() >= 0 ? (a.additiveMask() ? " additive" : " bool") + " mask b" + a.mask() + " strides " + a.maskStrides() : "");
        };
    }

    private static String ranges(List<Dim> extents, int firstVar) {
        StringBuilder sb = new StringBuilder();
        for (int d = 0; d < extents.size(); d++) {
            if (d > 0) sb.append(", ");
            sb.append('i').append(firstVar + d).append(" < ").append(extents.get(d));
        }
        return extents.isEmpty() ? "()" : sb.toString();
    }

    static String scalar(Scalar s) {
        return switch (s) {
            case Scalar.Load l -> "b" + l.buffer() + "[" + l.index()
                    + (l.gather() == null ? "" : " + " + l.gather().stride() + "*" + l.gather().op() + "(" + scalar(l.gather().index()) + " of " + l.gather().extent() + ")") + "]";
            case Scalar.Const c -> c.type().isFloating() ? Double.toString(c.value()) : Long.toString((long) c.value());
            case Scalar.Index i -> "(" + i.index() + ")";
            case Scalar.Acc a -> "acc";
            case Scalar.Unary u -> u.op().text() + (u.op() == Scalar.UnaryOp.LEAKY_RELU ? "[" + u.p1() + "]" : u.op() == Scalar.UnaryOp.CLIP ? "[" + u.p1() + ", " + u.p2() + "]" : "")
                    + ":" + u.type().sourceName() + "(" + scalar(u.x()) + ")";
            case Scalar.Binary b -> b.op().text() + ":" + b.type().sourceName() + "(" + scalar(b.a()) + ", " + scalar(b.b()) + ")";
            case Scalar.Compare c -> "(" + scalar(c.a()) + " " + c.op().symbol() + " " + scalar(c.b()) + ")";
            case Scalar.Select x -> "(" + scalar(x.cond()) + " ? " + scalar(x.a()) + " : " + scalar(x.b()) + ")";
            case Scalar.Cast c -> c.type().sourceName() + "(" + scalar(c.x()) + ")";
        };
    }
}
