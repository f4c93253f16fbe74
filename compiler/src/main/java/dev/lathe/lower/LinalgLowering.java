package dev.lathe.lower;

import dev.lathe.ir.Dim;
import dev.lathe.ir.Node;
import dev.lathe.ir.Value;
import dev.lathe.runtime.DType;
import java.util.ArrayList;
import java.util.List;

/**
 * matmul, linear and lowrank_linear. f32 products call the runtime GEMM (weights packed at load,
 * batch dims folded into rows where the right operand has none, batched GEMM where both have the same
 * batch dims); everything else is a loop nest with a double reduction, exactly the interpreter's sums.
 */
final class LinalgLowering {
    static final String NONE = "NONE";

    private LinalgLowering() {}

    static boolean fast(Lowerer l, DType dtype) {
        return l.options.runtimeKernels() && dtype == DType.F32;
    }

    static void linear(Lowerer l, Node.Linear n) {
        List<Dim> xs = n.x().type().shape();
        Dim rows = Lowerer.product(xs, 0, xs.size() - 1);
        Dim in = n.w().type().dim(1);
        Dim outDim = n.w().type().dim(0);
        if (fast(l, n.out().type().dtype())) {
            int out = l.output(n.out());
            int bias = n.b() == null ? -1 : l.view(n.b()).buffer();
            l.emit(gemmTransposed(Lowerer.label(n), l, n.x(), rows, in, n.w(), outDim, bias, out));
            return;
        }
        int r = xs.size() - 1;
        // vars: x's row dims 0..r-1, the output feature r, the input feature r + 1 (reduced)
        List<Dim> extents = new ArrayList<>(xs.subList(0, r));
        extents.add(outDim);
        int[] xVars = new int[r + 1];
        for (int d = 0; d < r; d++) xVars[d] = d;
        xVars[r] = r + 1;
        Scalar product = new Scalar.Binary(Scalar.BinaryOp.MUL, l.load(n.x(), xVars), l.load(n.w(), r, r + 1), DType.F64);
        Scalar init = n.b() == null ? null : new Scalar.Cast(l.load(n.b(), r), DType.F64);
        int out = l.output(n.out());
        l.emit(new Kernel.Loop(Lowerer.label(n), out, Affine.rowMajor(extents, 0), extents,
                new Kernel.Reduction(Kernel.ReduceOp.SUM, List.of(in), product, init), new Scalar.Cast(new Scalar.Acc(DType.F64), n.out().type().dtype())));
    }

    /** {@code out[rows, n] = x[rows, k] · wᵀ + bias} with w [n, k] packed when it is a param. */
    private static Kernel.Gemm gemmTransposed(String label, Lowerer l, Value x, Dim rows, Dim k, Value w, Dim n, int bias, int out) {
        int a = l.view(x).buffer();
        if (l.isParam(w)) {
            int b = l.weightBuffer(w, "gemm_t");
            return new Kernel.Gemm(label, rows, n, k, a, Dim.of(0), k, b, true, true, Dim.of(0), k, out, Dim.of(0), n, bias, NONE, -1);
        }
        return new Kernel.Gemm(label, rows, n, k, a, Dim.of(0), k, l.view(w).buffer(), false, true, Dim.of(0), k, out, Dim.of(0), n, bias, NONE, -1);
    }

    static void lowRankLinear(Lowerer l, Node.LowRankLinear n) {
        List<Dim> xs = n.x().type().shape();
        Dim rows = Lowerer.product(xs, 0, xs.size() - 1);
        Dim in = n.a().type().dim(1);
        Dim rank = n.a().type().dim(0);
        Dim outDim = n.b().type().dim(0);
        DType dtype = n.out().type().dtype();
        if (fast(l, dtype)) {
            // t [rows, R] = x · aᵀ; out = t · bᵀ + bias
            int t = l.temp(DType.F32, List.of(rows, rank));
            int a = l.view(n.x()).buffer();
            int ta = l.isParam(n.a()) ? l.weightBuffer(n.a(), "gemm_t") : l.view(n.a()).buffer();
            l.emit(new Kernel.Gemm(Lowerer.label(n), rows, rank, in, a, Dim.of(0), in, ta, l.isParam(n.a()), true, Dim.of(0), in, t, Dim.of(0), rank,
                    -1, NONE, -1));
            int out = l.output(n.out());
            int tb = l.isParam(n.b()) ? l.weightBuffer(n.b(), "gemm_t") : l.view(n.b()).buffer();
            int bias = n.bias() == null ? -1 : l.view(n.bias()).buffer();
            l.emit(new Kernel.Gemm(Lowerer.label(n), rows, outDim, rank, t, Dim.of(0), rank, tb, l.isParam(n.b()), true, Dim.of(0), rank, out, Dim.of(0),
                    outDim, bias, NONE, -1));
            return;
        }
        // t [rows, R] in double, then out = bias + t · bᵀ: the interpreter's two sums, rounded once.
        int r = xs.size() - 1;
        int t = l.temp(DType.F64, List.of(rows, rank));
        int[] xVars = new int[r + 1];
        for (int d = 0; d < r; d++) xVars[d] = d;
        xVars[r] = r + 1;
        List<Dim> tExtents = new ArrayList<>(xs.subList(0, r));
        tExtents.add(rank);
        Scalar xa = new Scalar.Binary(Scalar.BinaryOp.MUL, l.load(n.x(), xVars), l.load(n.a(), r, r + 1), DType.F64);
        l.emit(new Kernel.Loop(Lowerer.label(n), t, Affine.rowMajor(tExtents, 0), tExtents, new Kernel.Reduction(Kernel.ReduceOp.SUM, List.of(in), xa, null),
                new Scalar.Acc(DType.F64)));
        List<Dim> extents = new ArrayList<>(xs.subList(0, r));
        extents.add(outDim);
        Affine tIndex = Affine.rowMajor(xs.subList(0, r), 0).times(rank).plus(Affine.term(r + 1, Dim.of(1)));
        Scalar tb = new Scalar.Binary(Scalar.BinaryOp.MUL, new Scalar.Load(t, tIndex, DType.F64), l.load(n.b(), r, r + 1), DType.F64);
        Scalar init = n.bias() == null ? null : new Scalar.Cast(l.load(n.bias(), r), DType.F64);
        int out = l.output(n.out());
        l.emit(new Kernel.Loop(Lowerer.label(n), out, Affine.rowMajor(extents, 0), extents,
                new Kernel.Reduction(Kernel.ReduceOp.SUM, List.of(rank), tb, init), new Scalar.Cast(new Scalar.Acc(DType.F64), dtype)));
    }

    static void matmul(Lowerer l, Node.MatMul n) {
        List<Dim> as = n.a().type().shape();
        List<Dim> bs = n.b().type().shape();
        boolean aVec = as.size() == 1, bVec = bs.size() == 1;
        Dim m = aVec ? Dim.of(1) : as.get(as.size() - 2);
        Dim k = as.getLast();
        Dim nn = bVec ? Dim.of(1) : bs.getLast();
        List<Dim> aBatch = aVec ? List.of() : as.subList(0, as.size() - 2);
        List<Dim> bBatch = bVec ? List.of() : bs.subList(0, bs.size() - 2);
        if (fast(l, n.out().type().dtype()) && fastMatmul(l, n, aBatch, bBatch, m, k, nn, bVec)) return;
        // vars: batch dims 0..nb-1, i = nb, j = nb + 1, p = nb + 2 (reduced)
        List<Dim> outShape = n.out().type().shape();
        int nb = outShape.size() - (aVec ? 0 : 1) - (bVec ? 0 : 1);
        List<Dim> batch = outShape.subList(0, nb);
        int i = nb, j = nb + 1, p = nb + 2;
        Affine aIndex = batchIndex(aBatch, batch, Lowerer.product(List.of(m, k)))
                .plus(aVec ? Affine.term(p, Dim.of(1)) : Affine.term(i, k).plus(Affine.term(p, Dim.of(1))));
        Affine bIndex = batchIndex(bBatch, batch, Lowerer.product(List.of(k, nn)))
                .plus(bVec ? Affine.term(p, Dim.of(1)) : Affine.term(p, nn).plus(Affine.term(j, Dim.of(1))));
        List<Dim> extents = new ArrayList<>(batch);
        extents.add(m);
        extents.add(nn);
        Scalar product = new Scalar.Binary(Scalar.BinaryOp.MUL, new Scalar.Load(l.view(n.a()).buffer(), aIndex, n.a().type().dtype()),
                new Scalar.Load(l.view(n.b()).buffer(), bIndex, n.b().type().dtype()), DType.F64);
        int out = l.output(n.out());
        l.emit(new Kernel.Loop(Lowerer.label(n), out, Affine.rowMajor(extents, 0), extents, new Kernel.Reduction(Kernel.ReduceOp.SUM, List.of(k), product, null),
                new Scalar.Cast(new Scalar.Acc(DType.F64), n.out().type().dtype())));
    }

    /** The offset of an operand's matrix for the batch index given by variables 0..batch-1 (broadcast, dims aligned at the end). */
    private static Affine batchIndex(List<Dim> operandBatch, List<Dim> batch, Dim matrixSize) {
        Affine index = Affine.ZERO;
        Dim stride = matrixSize;
        int shift = batch.size() - operandBatch.size();
        for (int d = operandBatch.size() - 1; d >= 0; d--) {
            Dim size = operandBatch.get(d);
            if (!(Lowerer.isOne(size) && !size.equals(batch.get(shift + d)))) index = index.plus(Affine.term(shift + d, stride));
            stride = stride.times(size);
        }
        return index;
    }

    private static boolean fastMatmul(Lowerer l, Node.MatMul n, List<Dim> aBatch, List<Dim> bBatch, Dim m, Dim k, Dim nn, boolean bVec) {
        String label = Lowerer.label(n);
        int a = l.view(n.a()).buffer();
        if (bBatch.isEmpty()) {
            // b is one [k, n] matrix (or a [k] vector): a's batch dims fold into the rows of one GEMM.
            Dim rows = Lowerer.product(aBatch).times(m);
            int out = l.output(n.out());
            if (l.isParam(n.b()) && !bVec) {
                int b = l.weightBuffer(n.b(), "gemm");
                l.emit(new Kernel.Gemm(label, rows, nn, k, a, Dim.of(0), k, b, true, false, Dim.of(0), nn, out, Dim.of(0), nn, -1, NONE, -1));
            } else {
                l.emit(new Kernel.Gemm(label, rows, nn, k, a, Dim.of(0), k, l.view(n.b()).buffer(), false, false, Dim.of(0), nn, out, Dim.of(0), nn,
                        -1, NONE, -1));
            }
            return true;
        }
        boolean aVec = n.a().type().rank() == 1;
        Dim batch = Lowerer.product(n.out().type().shape().subList(0, n.out().type().rank() - (aVec ? 1 : 2)));
        Dim strideA;
        if (aBatch.equals(bBatch)) {
            strideA = m.times(k);
        } else if (aBatch.isEmpty() || aBatch.stream().allMatch(Lowerer::isOne) && bBatch.size() >= aBatch.size()) {
            strideA = Dim.of(0);
        } else {
            return false;
        }
        int out = l.output(n.out());
        l.emit(new Kernel.BatchedMatMul(label, batch, m, nn, k, a, strideA, l.view(n.b()).buffer(), k.times(nn), out));
        return true;
    }
}
