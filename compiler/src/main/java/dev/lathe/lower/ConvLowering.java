package dev.lathe.lower;

import dev.lathe.ir.Dim;
import dev.lathe.ir.Node;
import dev.lathe.lower.Scalar.BinaryOp;
import dev.lathe.lower.Scalar.CompareOp;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.kernels.Conv2d;
import dev.lathe.runtime.kernels.ConvGeometry;
import dev.lathe.runtime.model.WeightPacking;
import java.util.List;

/**
 * conv2d, max/avg pooling and global average pooling on NCHW. f32 convolutions and poolings call the
 * runtime kernels; the rest are loop nests whose padded positions are guarded (never read) and add nothing.
 */
final class ConvLowering {
    private ConvLowering() {}

    static void conv2d(Lowerer l, Node.Conv2d n) {
        List<Dim> xs = n.x().type().shape();
        List<Dim> ws = n.w().type().shape();
        List<Dim> os = n.out().type().shape();
        DType dtype = n.out().type().dtype();
        String label = Lowerer.label(n);
        if (LinalgLowering.fast(l, dtype)) {
            int out = l.output(n.out());
            String packing = weightPacking(l, n);
            int weight = packing.isEmpty() ? l.view(n.w()).buffer() : l.weightBuffer(n.w(), packing);
            l.emit(new Kernel.Conv(label, l.view(n.x()).buffer(), xs.get(0), xs.get(1), xs.get(2), xs.get(3), weight, ws.get(0),
                    ws.get(2), ws.get(3), n.b() == null ? -1 : l.view(n.b()).buffer(), n.stride(), n.pads(), n.dilation(), n.groups(), "NONE", out));
            return;
        }
        Dim c = xs.get(1), h = xs.get(2), w = xs.get(3);
        Dim o = ws.get(0), cg = ws.get(1), kh = ws.get(2), kw = ws.get(3);
        Dim oh = os.get(2), ow = os.get(3);
        Dim groups = Dim.of(n.groups());
        Dim perGroup = o.divExact(groups).orElseThrow(() -> new IllegalStateException("groups do not divide the output channels"));
        // vars: n 0, group 1, channel in group 2, y 3, x 4; reduced: input channel in group 5, ky 6, kx 7
        Affine outChannel = Affine.term(1, perGroup).plus(Affine.term(2, Dim.of(1)));
        Affine outIndex = Affine.term(0, o.times(oh).times(ow)).plus(outChannel.times(oh.times(ow))).plus(Affine.term(3, ow))
                .plus(Affine.term(4, Dim.of(1)));
        Affine iy = Affine.term(3, Dim.of(n.stride().get(0))).plus(Affine.term(6, Dim.of(n.dilation().get(0)))).plus(Dim.of(-n.pads().get(0)));
        Affine ix = Affine.term(4, Dim.of(n.stride().get(1))).plus(Affine.term(7, Dim.of(n.dilation().get(1)))).plus(Dim.of(-n.pads().get(1)));
        Affine inChannel = Affine.term(1, cg).plus(Affine.term(5, Dim.of(1)));
        Affine xIndex = Affine.term(0, c.times(h).times(w)).plus(inChannel.times(h.times(w))).plus(iy.times(w)).plus(ix);
        Affine wIndex = outChannel.times(cg.times(kh).times(kw)).plus(Affine.term(5, kh.times(kw))).plus(Affine.term(6, kw)).plus(Affine.term(7, Dim.of(1)));
        Scalar product = new Scalar.Binary(BinaryOp.MUL, new Scalar.Load(l.view(n.x()).buffer(), xIndex, dtype),
                new Scalar.Load(l.view(n.w()).buffer(), wIndex, dtype), DType.F64);
        Scalar value = new Scalar.Select(inside(iy, h, ix, w), product, new Scalar.Const(0, DType.F64), DType.F64);
        Scalar init = n.b() == null ? null : new Scalar.Cast(new Scalar.Load(l.view(n.b()).buffer(), outChannel, dtype), DType.F64);
        int out = l.output(n.out());
        l.emit(new Kernel.Loop(label, out, outIndex, List.of(xs.get(0), groups, perGroup, oh, ow),
                new Kernel.Reduction(Kernel.ReduceOp.SUM, List.of(cg, kh, kw), value, init), new Scalar.Cast(new Scalar.Acc(DType.F64), dtype)));
    }

    /**
     * How a runtime conv's weight is prepared at load: packed for the direct kernel or the implicit GEMM
     * ({@code Conv2d.prefersDirect}) when it is a param of one group and the input's channels, height and
     * width are static; otherwise the plain array (the runtime then packs per call, or runs im2col).
     */
    private static String weightPacking(Lowerer l, Node.Conv2d n) {
        if (n.groups() != 1 || !l.isParam(n.w())) return WeightPacking.NONE;
        List<Dim> xs = n.x().type().shape(), ws = n.w().type().shape();
        long[] dims = new long[5]; // cin, h, w, kh, kw
        List<Dim> used = List.of(xs.get(1), xs.get(2), xs.get(3), ws.get(2), ws.get(3));
        for (int i = 0; i < dims.length; i++) {
            var c = used.get(i).constant();
            if (c.isEmpty() || c.getAsLong() > Integer.MAX_VALUE) return WeightPacking.NONE;
            dims[i] = c.getAsLong();
        }
        ConvGeometry g = ConvGeometry.of(n.stride().stream().mapToInt(Integer::intValue).toArray(),
                n.pads().stream().mapToInt(Integer::intValue).toArray(), n.dilation().stream().mapToInt(Integer::intValue).toArray(), 1);
        var cout = ws.get(0).constant();
        if (cout.isEmpty() || cout.getAsLong() > Integer.MAX_VALUE) return WeightPacking.NONE;
        boolean direct = Conv2d.prefersDirect((int) dims[0], (int) cout.getAsLong(), (int) dims[1], (int) dims[2], (int) dims[3], (int) dims[4], g);
        return direct ? WeightPacking.CONV_DIRECT : WeightPacking.CONV;
    }

    /** {@code 0 <= iy < h && 0 <= ix < w}. */
    private static Scalar inside(Affine iy, Dim h, Affine ix, Dim w) {
        Scalar y = new Scalar.Binary(BinaryOp.AND, new Scalar.Compare(CompareOp.GE, new Scalar.Index(iy), index(Dim.of(0))),
                new Scalar.Compare(CompareOp.LT, new Scalar.Index(iy), index(h)), DType.BOOL);
        Scalar x = new Scalar.Binary(BinaryOp.AND, new Scalar.Compare(CompareOp.GE, new Scalar.Index(ix), index(Dim.of(0))),
                new Scalar.Compare(CompareOp.LT, new Scalar.Index(ix), index(w)), DType.BOOL);
        return new Scalar.Binary(BinaryOp.AND, y, x, DType.BOOL);
    }

    private static Scalar index(Dim d) {
        return new Scalar.Index(Affine.constant(d));
    }

    static void pool2d(Lowerer l, Node.Pool2d n) {
        List<Dim> xs = n.x().type().shape();
        List<Dim> os = n.out().type().shape();
        DType dtype = n.out().type().dtype();
        Dim c = xs.get(1), h = xs.get(2), w = xs.get(3);
        Dim oh = os.get(2), ow = os.get(3);
        int kh = n.kernel().get(0), kw = n.kernel().get(1);
        boolean max = n.kind() == Node.PoolKind.MAX;
        if (LinalgLowering.fast(l, dtype)) {
            int out = l.output(n.out());
            l.emit(new Kernel.Pool(Lowerer.label(n), l.view(n.x()).buffer(), xs.get(0), c, h, w, max, kh, kw, n.stride(), n.pads(), out));
            return;
        }
        // vars: n 0, c 1, y 2, x 3; reduced: ky 4, kx 5
        Affine yStart = Affine.term(2, Dim.of(n.stride().get(0))).plus(Dim.of(-n.pads().get(0)));
        Affine xStart = Affine.term(3, Dim.of(n.stride().get(1))).plus(Dim.of(-n.pads().get(1)));
        Affine iy = yStart.plus(Affine.term(4, Dim.of(1)));
        Affine ix = xStart.plus(Affine.term(5, Dim.of(1)));
        Affine xIndex = Affine.term(0, c.times(h).times(w)).plus(Affine.term(1, h.times(w))).plus(iy.times(w)).plus(ix);
        Scalar x = new Scalar.Cast(new Scalar.Load(l.view(n.x()).buffer(), xIndex, dtype), DType.F64);
        Scalar value = new Scalar.Select(inside(iy, h, ix, w), x, new Scalar.Const(max ? Double.NEGATIVE_INFINITY : 0, DType.F64), DType.F64);
        Scalar body = new Scalar.Acc(DType.F64);
        if (!max) {
            // Only the positions inside x count (count_include_pad = 0); a window wholly in the padding averages 0 / 0 = NaN.
            Scalar count = new Scalar.Binary(BinaryOp.MUL, covered(yStart, kh, h), covered(xStart, kw, w), DType.I64);
            body = new Scalar.Binary(BinaryOp.DIV, body, count, DType.F64);
        }
        int out = l.output(n.out());
        List<Dim> extents = List.of(xs.get(0), c, oh, ow);
        l.emit(new Kernel.Loop(Lowerer.label(n), out, Affine.rowMajor(extents, 0), extents,
                new Kernel.Reduction(max ? Kernel.ReduceOp.MAX : Kernel.ReduceOp.SUM, List.of(Dim.of(kh), Dim.of(kw)), value, null),
                new Scalar.Cast(body, dtype)));
    }

    /** How many of {@code start .. start + k - 1} lie in {@code [0, size)}: max(0, min(size, start + k) - max(0, start)). */
    private static Scalar covered(Affine start, int k, Dim size) {
        Scalar end = new Scalar.Binary(BinaryOp.MIN, index(size), new Scalar.Index(start.plus(Dim.of(k))), DType.I64);
        Scalar begin = new Scalar.Binary(BinaryOp.MAX, index(Dim.of(0)), new Scalar.Index(start), DType.I64);
        return new Scalar.Binary(BinaryOp.MAX, index(Dim.of(0)), new Scalar.Binary(BinaryOp.SUB, end, begin, DType.I64), DType.I64);
    }

    static void globalAvgPool(Lowerer l, Node.GlobalAvgPool n) {
        List<Dim> xs = n.x().type().shape();
        DType dtype = n.out().type().dtype();
        List<Dim> extents = List.of(xs.get(0), xs.get(1));
        Scalar mean = new Scalar.Binary(BinaryOp.DIV, new Scalar.Acc(DType.F64), index(xs.get(2).times(xs.get(3))), DType.F64);
        int out = l.output(n.out());
        l.emit(new Kernel.Loop(Lowerer.label(n), out, Affine.rowMajor(extents, 0), extents,
                new Kernel.Reduction(Kernel.ReduceOp.SUM, List.of(xs.get(2), xs.get(3)), new Scalar.Cast(l.load(n.x(), 0, 1, 2, 3), DType.F64), null),
                new Scalar.Cast(mean, dtype)));
    }
}
