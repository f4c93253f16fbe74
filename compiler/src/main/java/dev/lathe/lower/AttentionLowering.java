package dev.lathe.lower;

import dev.lathe.ir.Dim;
import dev.lathe.ir.Node;
import dev.lathe.lower.Scalar.BinaryOp;
import dev.lathe.lower.Scalar.CompareOp;
import dev.lathe.lower.Scalar.UnaryOp;
import dev.lathe.runtime.DType;
import java.util.ArrayList;
import java.util.List;

/**
 * Multi-head attention. f32 calls the runtime's tiled attention kernel; otherwise four loop nests
 * over f64 temporaries (scores, row max, row sum, output) that follow the interpreter step by step,
 * hidden keys scoring -inf and rows with no visible key giving zeros.
 */
final class AttentionLowering {
    private AttentionLowering() {}

    static void attention(Lowerer l, Node.Attention n) {
        List<Dim> qs = n.q().type().shape();
        List<Dim> ks = n.k().type().shape();
        List<Dim> vs = n.v().type().shape();
        DType dtype = n.out().type().dtype();
        Dim b = qs.get(0), sq = qs.get(1), d = qs.get(2), sk = ks.get(1), dvAll = vs.get(2);
        Dim heads = Dim.of(n.heads());
        Dim dh = d.divExact(heads).orElseThrow(() -> new IllegalStateException("heads do not divide D"));
        Dim dv = dvAll.divExact(heads).orElseThrow(() -> new IllegalStateException("heads do not divide Dv"));
        String label = Lowerer.label(n);
        DType maskType = n.mask() == null ? null : n.mask().type().dtype();
        if (LinalgLowering.fast(l, dtype) && (maskType == null || maskType == DType.F32 || maskType == DType.BOOL)) {
            List<Dim> strides = n.mask() == null ? List.of() : maskStrides(n.mask().type().shape(), List.of(b, heads, sq, sk));
            int out = l.output(n.out());
            l.emit(new Kernel.Attention(label, l.view(n.q()).buffer(), l.view(n.k()).buffer(), l.view(n.v()).buffer(), b, sq, sk, n.heads(), dh, dv,
                    n.scale(), n.causal(), n.mask() == null ? -1 : l.view(n.mask()).buffer(), maskType == DType.F32, strides, out));
            return;
        }
        Scalar scale = Double.isNaN(n.scale())
                ? new Scalar.Binary(BinaryOp.DIV, c(1), new Scalar.Unary(UnaryOp.SQRT, new Scalar.Cast(new Scalar.Index(Affine.constant(dh)), DType.F64), DType.F64),
                DType.F64)
                : c(n.scale());
        List<Dim> scoreShape = List.of(b, heads, sq, sk);
        // scores[b, h, i, j]: vars b 0, h 1, i 2, j 3; reduced c 4
        Affine qIndex = Affine.term(0, sq.times(d)).plus(Affine.term(2, d)).plus(Affine.term(1, dh)).plus(Affine.term(4, Dim.of(1)));
        Affine kIndex = Affine.term(0, sk.times(d)).plus(Affine.term(3, d)).plus(Affine.term(1, dh)).plus(Affine.term(4, Dim.of(1)));
        Scalar dot = new Scalar.Binary(BinaryOp.MUL, new Scalar.Load(l.view(n.q()).buffer(), qIndex, dtype), new Scalar.Load(l.view(n.k()).buffer(), kIndex, dtype),
                DType.F64);
        Scalar visible = new Scalar.Const(1, DType.BOOL);
        if (n.causal()) {
            // key j is hidden from query i when j > i + sk - sq
            visible = new Scalar.Compare(CompareOp.LE, new Scalar.Index(Affine.term(3, Dim.of(1))), new Scalar.Index(Affine.term(2, Dim.of(1)).plus(sk.minus(sq))));
        }
        Scalar additive = c(0);
        if (n.mask() != null) {
            Scalar m = l.broadcastLoad(n.mask(), scoreShape, 0);
            if (maskType == DType.BOOL) visible = new Scalar.Binary(BinaryOp.AND, visible, m, DType.BOOL);
            else additive = new Scalar.Cast(m, DType.F64);
        }
        Scalar score = new Scalar.Binary(BinaryOp.ADD, new Scalar.Binary(BinaryOp.MUL, new Scalar.Acc(DType.F64), scale, DType.F64), additive, DType.F64);
        int scores = l.temp(DType.F64, scoreShape);
        l.emit(new Kernel.Loop(label, scores, Affine.rowMajor(scoreShape, 0), scoreShape, new Kernel.Reduction(Kernel.ReduceOp.SUM, List.of(dh), dot, null),
                new Scalar.Select(visible, score, c(Double.NEGATIVE_INFINITY), DType.F64)));
        List<Dim> rowShape = List.of(b, heads, sq);
        Affine rowIndex = Affine.rowMajor(rowShape, 0);
        Scalar s = new Scalar.Load(scores, Affine.rowMajor(scoreShape, 0), DType.F64);
        int max = l.temp(DType.F64, rowShape);
        l.emit(new Kernel.Loop(label, max, rowIndex, rowShape, new Kernel.Reduction(Kernel.ReduceOp.MAX, List.of(sk), s, null), new Scalar.Acc(DType.F64)));
        Scalar e = new Scalar.Unary(UnaryOp.EXP, new Scalar.Binary(BinaryOp.SUB, s, new Scalar.Load(max, rowIndex, DType.F64), DType.F64), DType.F64);
        int sum = l.temp(DType.F64, rowShape);
        l.emit(new Kernel.Loop(label, sum, rowIndex, rowShape, new Kernel.Reduction(Kernel.ReduceOp.SUM, List.of(sk), e, null), new Scalar.Acc(DType.F64)));
        // out[b, i, h * dv + c]: vars b 0, i 1, h 2, c 3; reduced j 4
        Affine row = Affine.term(0, heads.times(sq)).plus(Affine.term(2, sq)).plus(Affine.term(1, Dim.of(1)));
        Affine scoreAt = row.times(sk).plus(Affine.term(4, Dim.of(1)));
        Scalar p = new Scalar.Binary(BinaryOp.DIV,
                new Scalar.Unary(UnaryOp.EXP, new Scalar.Binary(BinaryOp.SUB, new Scalar.Load(scores, scoreAt, DType.F64), new Scalar.Load(max, row, DType.F64),
                        DType.F64), DType.F64),
                new Scalar.Load(sum, row, DType.F64), DType.F64);
        Affine vIndex = Affine.term(0, sk.times(dvAll)).plus(Affine.term(4, dvAll)).plus(Affine.term(2, dv)).plus(Affine.term(3, Dim.of(1)));
        Scalar pv = new Scalar.Binary(BinaryOp.MUL, p, new Scalar.Load(l.view(n.v()).buffer(), vIndex, dtype), DType.F64);
        Scalar empty = new Scalar.Compare(CompareOp.EQ, new Scalar.Load(max, row, DType.F64), c(Double.NEGATIVE_INFINITY));
        List<Dim> outExtents = List.of(b, sq, heads, dv);
        int out = l.output(n.out());
        l.emit(new Kernel.Loop(label, out, Affine.rowMajor(outExtents, 0), outExtents, new Kernel.Reduction(Kernel.ReduceOp.SUM, List.of(sk), pv, null),
                new Scalar.Cast(new Scalar.Select(empty, c(0), new Scalar.Acc(DType.F64), DType.F64), dtype)));
    }

    private static Scalar c(double v) {
        return new Scalar.Const(v, DType.F64);
    }

    /** Strides (batch, head, query, key) at which a mask of {@code shape} is read when broadcast to {@code target}; 0 repeats. */
    static List<Dim> maskStrides(List<Dim> shape, List<Dim> target) {
        List<Dim> rowMajor = Lowerer.strides(shape);
        List<Dim> out = new ArrayList<>();
        int shift = target.size() - shape.size();
        for (int t = 0; t < target.size(); t++) {
            int d = t - shift;
            if (d < 0) {
                out.add(Dim.of(0));
                continue;
            }
            Dim size = shape.get(d);
            out.add(Lowerer.isOne(size) && !size.equals(target.get(t)) ? Dim.of(0) : rowMajor.get(d));
        }
        return out;
    }

    /**
     * f32 linear_attention calls the runtime's {@code LinearAttention}, the arithmetic the interpreter
     * uses, so both agree bit for bit; other dtypes are not compiled.
     */
    static void linearAttention(Lowerer l, Node.LinearAttention n) {
        if (!LinalgLowering.fast(l, n.out().type().dtype())) {
            throw new UnsupportedOpException(n.opName(), "op linear_attention is supported by the jvm backend only in f32" + Lowerer.where(n));
        }
        List<Dim> qs = n.q().type().shape();
        Dim heads = Dim.of(n.heads());
        Dim dh = qs.get(2).divExact(heads).orElseThrow(() -> new IllegalStateException("heads do not divide D"));
        Dim dv = n.v().type().dim(2).divExact(heads).orElseThrow(() -> new IllegalStateException("heads do not divide Dv"));
        int out = l.output(n.out());
        l.emit(new Kernel.LinearAttention(Lowerer.label(n), l.view(n.q()).buffer(), l.view(n.k()).buffer(), l.view(n.v()).buffer(), qs.get(0),
                qs.get(1), n.k().type().dim(1), n.heads(), dh, dv, n.method().ordinal(), n.size(), n.seed(), n.causal(), n.scale(), out));
    }
}
