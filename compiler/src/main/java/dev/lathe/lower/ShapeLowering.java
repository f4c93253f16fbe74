package dev.lathe.lower;

import dev.lathe.ir.Dim;
import dev.lathe.ir.Node;
import dev.lathe.ir.Value;
import java.util.List;

/** Data movement: transpose, concat, split, slice, gather, embedding (reshapes are views, see {@link Lowerer}). */
final class ShapeLowering {
    /** The largest dim; slice bounds at or beyond it mean "past the end" (as in OpTyping). */
    private static final long MAX_DIM = Integer.MAX_VALUE;

    private ShapeLowering() {}

    static void transpose(Lowerer l, Node.Transpose n) {
        Lowerer.View x = l.view(n.x());
        List<Dim> inStrides = Lowerer.strides(x.shape());
        Affine index = Affine.ZERO;
        for (int d = 0; d < n.perm().size(); d++) index = index.plus(Affine.term(d, inStrides.get(n.perm().get(d))));
        l.elementwise(Lowerer.label(n), n.out(), new Scalar.Load(x.buffer(), index, x.dtype()));
    }

    static void concat(Lowerer l, Node.Concat n) {
        int out = l.output(n.out());
        List<Dim> outShape = n.out().type().shape();
        List<Dim> outStrides = Lowerer.strides(outShape);
        Dim offset = Dim.of(0);
        for (Value x : n.xs()) {
            List<Dim> shape = x.type().shape();
            Affine index = Affine.constant(offset.times(outStrides.get(n.axis())));
            for (int d = 0; d < shape.size(); d++) index = index.plus(Affine.term(d, outStrides.get(d)));
            l.emit(new Kernel.Loop(Lowerer.label(n), out, index, shape, null, l.load(x, NormLowering.range(shape.size()))));
            offset = offset.plus(shape.get(n.axis()));
        }
    }

    static void split(Lowerer l, Node.Split n) {
        Lowerer.View x = l.view(n.x());
        List<Dim> inStrides = Lowerer.strides(x.shape());
        Dim offset = Dim.of(0);
        for (int i = 0; i < n.outs().size(); i++) {
            Value out = n.outs().get(i);
            List<Dim> shape = out.type().shape();
            Affine index = Affine.constant(offset.times(inStrides.get(n.axis())));
            for (int d = 0; d < shape.size(); d++) index = index.plus(Affine.term(d, inStrides.get(d)));
            l.elementwise(Lowerer.label(n), out, new Scalar.Load(x.buffer(), index, x.dtype()));
            offset = offset.plus(n.sizes().get(i));
        }
    }

    static void slice(Lowerer l, Node.Slice n) {
        Lowerer.View x = l.view(n.x());
        List<Dim> inStrides = Lowerer.strides(x.shape());
        Dim dim = x.shape().get(n.axis());
        Dim start = effectiveStart(n.start(), dim, n.step());
        Affine index = Affine.constant(start.times(inStrides.get(n.axis())));
        for (int d = 0; d < x.rank(); d++) {
            Dim stride = inStrides.get(d);
            index = index.plus(Affine.term(d, d == n.axis() ? stride.times(n.step()) : stride));
        }
        l.elementwise(Lowerer.label(n), n.out(), new Scalar.Load(x.buffer(), index, x.dtype()));
    }

    /**
     * The first index a slice reads, as ONNX defines it: a negative start counts from the end, then it
     * is clamped to [0, n] (positive step) or [0, n - 1] (negative step). The typing rule already
     * proved which side of the clamp applies; an empty slice reads nothing, so any start does.
     */
    private static Dim effectiveStart(Dim start, Dim n, long step) {
        Dim hi = step > 0 ? n : n.minus(Dim.of(1));
        Dim s = start;
        if (start.isConstant()) {
            long c = start.constant().getAsLong();
            if (c >= MAX_DIM) s = hi;
            else if (c <= -MAX_DIM) s = Dim.of(0);
            else if (c < 0) s = n.plus(c);
        }
        if (Lowerer.le(s, Dim.of(0))) return Dim.of(0);
        // hi < 0 only when the axis is empty (negative step, n = 0): then the slice reads nothing
        if (Lowerer.le(hi, s)) return hi;
        return s;
    }

    static void gather(Lowerer l, Node.Gather n) {
        Lowerer.View x = l.view(n.x());
        Lowerer.View idx = l.view(n.idx());
        List<Dim> inStrides = Lowerer.strides(x.shape());
        int a = n.axis();
        int ir = idx.rank();
        // output dims: x's dims before the axis, idx's dims, x's dims after the axis
        Affine index = Affine.ZERO;
        for (int d = 0; d < a; d++) index = index.plus(Affine.term(d, inStrides.get(d)));
        for (int d = a + 1; d < x.rank(); d++) index = index.plus(Affine.term(d - 1 + ir, inStrides.get(d)));
        Scalar i = new Scalar.Load(idx.buffer(), Affine.rowMajor(idx.shape(), a), idx.dtype());
        Scalar.Gather g = new Scalar.Gather(i, x.shape().get(a), inStrides.get(a), true, "gather");
        l.elementwise(Lowerer.label(n), n.out(), new Scalar.Load(x.buffer(), index, g, x.dtype()));
    }

    static void embedding(Lowerer l, Node.Embedding n) {
        Lowerer.View table = l.view(n.table());
        Lowerer.View idx = l.view(n.idx());
        Dim width = table.shape().get(1);
        Scalar i = new Scalar.Load(idx.buffer(), Affine.rowMajor(idx.shape(), 0), idx.dtype());
        Scalar.Gather g = new Scalar.Gather(i, table.shape().get(0), width, false, "embedding");
        l.elementwise(Lowerer.label(n), n.out(), new Scalar.Load(table.buffer(), Affine.term(idx.rank(), Dim.of(1)), g, table.dtype()));
    }
}
