package dev.lathe.lower;

import dev.lathe.ir.Dim;
import dev.lathe.ir.Node;
import dev.lathe.ir.Value;
import dev.lathe.lower.Scalar.BinaryOp;
import dev.lathe.lower.Scalar.UnaryOp;
import dev.lathe.runtime.DType;
import java.util.ArrayList;
import java.util.List;

/**
 * softmax, log_softmax, layer_norm, rms_norm, batch_norm. f32 ops over the last dim call the runtime
 * row kernels; the others become loop nests whose statistics live in f64 temporaries, so the result
 * is the interpreter's to the last bit.
 */
final class NormLowering {
    private NormLowering() {}

    private static Scalar f64(BinaryOp op, Scalar a, Scalar b) {
        return new Scalar.Binary(op, a, b, DType.F64);
    }

    private static Scalar f64(UnaryOp op, Scalar x) {
        return new Scalar.Unary(op, x, DType.F64);
    }

    private static Scalar c(double v) {
        return new Scalar.Const(v, DType.F64);
    }

    static void softmax(Lowerer l, Node.Softmax n) {
        List<Dim> shape = n.x().type().shape();
        int axis = n.axis();
        DType dtype = n.out().type().dtype();
        Dim inner = Lowerer.product(shape, axis + 1, shape.size());
        if (LinalgLowering.fast(l, dtype) && Lowerer.isOne(inner)) {
            Dim cols = shape.get(axis);
            Dim rows = Lowerer.product(shape, 0, axis);
            int out = l.output(n.out());
            l.emit(new Kernel.Rows(Lowerer.label(n), n.log() ? Kernel.RowOp.LOG_SOFTMAX : Kernel.RowOp.SOFTMAX, l.view(n.x()).buffer(), rows, cols, -1, -1, 0,
                    out));
            return;
        }
        // kept dims are the loop variables 0..r-2, the axis is variable r-1 in the reductions.
        List<Dim> kept = new ArrayList<>(shape);
        kept.remove(axis);
        int r = shape.size();
        int[] reduceVars = new int[r];
        for (int d = 0, v = 0; d < r; d++) reduceVars[d] = d == axis ? r - 1 : v++;
        String label = Lowerer.label(n);
        int max = l.temp(DType.F64, kept);
        l.emit(new Kernel.Loop(label, max, Affine.rowMajor(kept, 0), kept,
                new Kernel.Reduction(Kernel.ReduceOp.MAX, List.of(shape.get(axis)), l.load(n.x(), reduceVars), null), new Scalar.Acc(DType.F64)));
        Scalar maxAt = new Scalar.Load(max, Affine.rowMajor(kept, 0), DType.F64);
        int sum = l.temp(DType.F64, kept);
        l.emit(new Kernel.Loop(label, sum, Affine.rowMajor(kept, 0), kept, new Kernel.Reduction(Kernel.ReduceOp.SUM, List.of(shape.get(axis)),
                f64(UnaryOp.EXP, f64(BinaryOp.SUB, l.load(n.x(), reduceVars), maxAt)), null), new Scalar.Acc(DType.F64)));
        // The output loop runs over every dim: kept dims' variables are the output's minus the axis.
        int[] all = new int[r];
        for (int d = 0; d < r; d++) all[d] = d;
        Affine keptIndex = keptIndex(shape, axis);
        Scalar x = l.load(n.x(), all);
        Scalar m = new Scalar.Load(max, keptIndex, DType.F64);
        Scalar s = new Scalar.Load(sum, keptIndex, DType.F64);
        Scalar shifted = f64(BinaryOp.SUB, x, m);
        Scalar body = n.log() ? f64(BinaryOp.SUB, shifted, f64(UnaryOp.LOG, s)) : f64(BinaryOp.DIV, f64(UnaryOp.EXP, shifted), s);
        l.elementwise(label, n.out(), new Scalar.Cast(body, dtype));
    }

    /** Row-major index of the dims other than {@code axis}, with dim d at loop variable d. */
    private static Affine keptIndex(List<Dim> shape, int axis) {
        Affine index = Affine.ZERO;
        Dim stride = Dim.of(1);
        for (int d = shape.size() - 1; d >= 0; d--) {
            if (d == axis) continue;
            index = index.plus(Affine.term(d, stride));
            stride = stride.times(shape.get(d));
        }
        return index;
    }

    /** Whether {@code w} has exactly the elements of {@code normShape} (same dims, leading 1s aside). */
    private static boolean fullLength(Value w, List<Dim> normShape) {
        return w == null || Lowerer.product(w.type().shape()).equals(Lowerer.product(normShape))
                && normShape.size() >= w.type().rank()
                && normShape.subList(normShape.size() - w.type().rank(), normShape.size()).equals(w.type().shape());
    }

    static void layerNorm(Lowerer l, Node.LayerNorm n) {
        List<Dim> shape = n.x().type().shape();
        int axis = n.axis();
        DType dtype = n.out().type().dtype();
        List<Dim> rowsShape = shape.subList(0, axis);
        List<Dim> normShape = shape.subList(axis, shape.size());
        Dim count = Lowerer.product(normShape);
        if (LinalgLowering.fast(l, dtype) && fullLength(n.w(), normShape) && fullLength(n.b(), normShape)) {
            int out = l.output(n.out());
            l.emit(new Kernel.Rows(Lowerer.label(n), Kernel.RowOp.LAYER_NORM, l.view(n.x()).buffer(), Lowerer.product(rowsShape), count,
                    l.view(n.w()).buffer(), n.b() == null ? -1 : l.view(n.b()).buffer(), n.eps(), out));
            return;
        }
        String label = Lowerer.label(n);
        int[] all = new int[shape.size()];
        for (int d = 0; d < all.length; d++) all[d] = d;
        Affine rowIndex = Affine.rowMajor(rowsShape, 0);
        Scalar countValue = new Scalar.Index(Affine.constant(count));
        // mean[row] = sum(x) / n; inv[row] = 1 / sqrt(sum((x - mean)^2) / n + eps)
        int mean = l.temp(DType.F64, rowsShape);
        l.emit(new Kernel.Loop(label, mean, rowIndex, rowsShape, new Kernel.Reduction(Kernel.ReduceOp.SUM, normShape, l.load(n.x(), all), null),
                f64(BinaryOp.DIV, new Scalar.Acc(DType.F64), countValue)));
        Scalar meanAt = new Scalar.Load(mean, rowIndex, DType.F64);
        Scalar dev = f64(BinaryOp.SUB, l.load(n.x(), all), meanAt);
        int inv = l.temp(DType.F64, rowsShape);
        l.emit(new Kernel.Loop(label, inv, rowIndex, rowsShape, new Kernel.Reduction(Kernel.ReduceOp.SUM, normShape, f64(BinaryOp.MUL, dev, dev), null),
                f64(BinaryOp.DIV, c(1), f64(UnaryOp.SQRT, f64(BinaryOp.ADD, f64(BinaryOp.DIV, new Scalar.Acc(DType.F64), countValue), c(n.eps()))))));
        Scalar y = f64(BinaryOp.MUL, f64(BinaryOp.MUL, dev, new Scalar.Load(inv, rowIndex, DType.F64)), l.broadcastLoad(n.w(), shape, 0));
        if (n.b() != null) y = f64(BinaryOp.ADD, y, l.broadcastLoad(n.b(), shape, 0));
        l.elementwise(label, n.out(), new Scalar.Cast(y, dtype));
    }

    static void rmsNorm(Lowerer l, Node.RmsNorm n) {
        List<Dim> shape = n.x().type().shape();
        int last = shape.size() - 1;
        DType dtype = n.out().type().dtype();
        List<Dim> rowsShape = shape.subList(0, last);
        Dim cols = shape.get(last);
        if (LinalgLowering.fast(l, dtype) && fullLength(n.w(), List.of(cols))) {
            int out = l.output(n.out());
            l.emit(new Kernel.Rows(Lowerer.label(n), Kernel.RowOp.RMS_NORM, l.view(n.x()).buffer(), Lowerer.product(rowsShape), cols,
                    l.view(n.w()).buffer(), -1, n.eps(), out));
            return;
        }
        String label = Lowerer.label(n);
        int[] all = new int[shape.size()];
        for (int d = 0; d < all.length; d++) all[d] = d;
        Affine rowIndex = Affine.rowMajor(rowsShape, 0);
        Scalar x = l.load(n.x(), all);
        int inv = l.temp(DType.F64, rowsShape);
        l.emit(new Kernel.Loop(label, inv, rowIndex, rowsShape, new Kernel.Reduction(Kernel.ReduceOp.SUM, List.of(cols), f64(BinaryOp.MUL, x, x), null),
                f64(BinaryOp.DIV, c(1), f64(UnaryOp.SQRT, f64(BinaryOp.ADD, f64(BinaryOp.DIV, new Scalar.Acc(DType.F64),
                        new Scalar.Index(Affine.constant(cols))), c(n.eps()))))));
        Scalar y = f64(BinaryOp.MUL, f64(BinaryOp.MUL, x, new Scalar.Load(inv, rowIndex, DType.F64)), l.broadcastLoad(n.w(), List.of(cols), last));
        l.elementwise(label, n.out(), new Scalar.Cast(y, dtype));
    }

    static void batchNorm(Lowerer l, Node.BatchNorm n) {
        List<Dim> shape = n.x().type().shape();
        // (x - mean[c]) / sqrt(var[c] + eps) * scale[c] + bias[c], channel c = loop variable 1
        Scalar x = l.load(n.x(), range(shape.size()));
        Scalar y = f64(BinaryOp.ADD, f64(BinaryOp.MUL, f64(BinaryOp.DIV, f64(BinaryOp.SUB, x, l.load(n.mean(), 1)),
                f64(UnaryOp.SQRT, f64(BinaryOp.ADD, l.load(n.var(), 1), c(n.eps())))), l.load(n.scale(), 1)), l.load(n.bias(), 1));
        l.elementwise(Lowerer.label(n), n.out(), new Scalar.Cast(y, n.out().type().dtype()));
    }

    static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }
}
