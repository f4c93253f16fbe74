package dev.lathe.lower;

import dev.lathe.ir.Dim;
import dev.lathe.ir.Node;
import dev.lathe.runtime.DType;
import java.util.ArrayList;
import java.util.List;

/** Reductions and argmax: a loop nest over the kept dims with a reduction over the others. */
final class ReductionLowering {
    private ReductionLowering() {}

    static void reduce(Lowerer l, Node.Reduce n) {
        if (n.axes().isEmpty()) {
            l.alias(n.out(), n.x());
            return;
        }
        List<Dim> in = n.x().type().shape();
        DType dtype = n.out().type().dtype();
        int[] vars = new int[in.size()];
        List<Dim> kept = new ArrayList<>();
        List<Dim> reduced = new ArrayList<>();
        for (int d = 0; d < in.size(); d++) {
            if (!n.axes().contains(d)) {
                vars[d] = kept.size();
                kept.add(in.get(d));
            }
        }
        for (int d = 0; d < in.size(); d++) {
            if (n.axes().contains(d)) {
                vars[d] = kept.size() + reduced.size();
                reduced.add(in.get(d));
            }
        }
        boolean integer = !dtype.isFloating();
        DType acc = integer ? DType.I64 : DType.F64;
        Scalar value = l.load(n.x(), vars);
        Scalar body = switch (n.kind()) {
            case SUM, MAX, MIN -> new Scalar.Cast(new Scalar.Acc(acc), dtype);
            case MEAN -> new Scalar.Cast(new Scalar.Binary(Scalar.BinaryOp.DIV, new Scalar.Acc(acc),
                    new Scalar.Index(Affine.constant(Lowerer.product(reduced))), acc), dtype);
        };
        Kernel.ReduceOp op = switch (n.kind()) {
            case SUM, MEAN -> Kernel.ReduceOp.SUM;
            case MAX -> Kernel.ReduceOp.MAX;
            case MIN -> Kernel.ReduceOp.MIN;
        };
        int out = l.output(n.out());
        l.emit(new Kernel.Loop(Lowerer.label(n), out, Affine.rowMajor(kept, 0), kept, new Kernel.Reduction(op, reduced, value, null), body));
    }

    static void argmax(Lowerer l, Node.ArgMax n) {
        List<Dim> in = n.x().type().shape();
        int[] vars = new int[in.size()];
        List<Dim> kept = new ArrayList<>();
        for (int d = 0; d < in.size(); d++) {
            if (d != n.axis()) {
                vars[d] = kept.size();
                kept.add(in.get(d));
            }
        }
        vars[n.axis()] = kept.size();
        int out = l.output(n.out());
        l.emit(new Kernel.Loop(Lowerer.label(n), out, Affine.rowMajor(kept, 0), kept,
                new Kernel.Reduction(Kernel.ReduceOp.ARGMAX, List.of(in.get(n.axis())), l.load(n.x(), vars), null), new Scalar.Acc(DType.I64)));
    }
}
