package dev.lathe.lower;

import dev.lathe.interp.SparseOps;
import dev.lathe.ir.Dim;
import dev.lathe.ir.Node;
import dev.lathe.ir.Param;
import dev.lathe.runtime.Tensor;
import java.util.List;

/**
 * {@code sparse_linear} in this version: the stored parts are expanded once, at compile time, to the
 * dense masked weight W [out, in] ({@link SparseOps#toDense}, exactly the interpreter's weight),
 * which the runtime GEMM reads packed like any linear weight. Correct, but neither smaller nor faster
 * than dense; sparse kernels (CSR/BSR SpMM, N:M) are issue 6 work still to do. Anything but f32 with
 * bound param parts is an {@link UnsupportedOpException}, so {@code --backend auto} falls back to the
 * interpreter.
 */
final class SparseLowering {
    private SparseLowering() {}

    static void sparseLinear(Lowerer l, Node.SparseLinear n) {
        Param values = l.param(n.values());
        Param indices = l.param(n.indices());
        Param pointers = n.pointers() == null ? null : l.param(n.pointers());
        boolean bound = values != null && values.data() != null && indices != null && indices.data() != null
                && (n.pointers() == null || pointers != null && pointers.data() != null);
        if (!LinalgLowering.fast(l, n.out().type().dtype()) || !bound) {
            throw new UnsupportedOpException(n.opName(), "op sparse_linear is supported by the jvm backend only in f32 over bound params"
                    + Lowerer.where(n));
        }
        Tensor dense = SparseOps.toDense(n.format(), values.data(), indices.data(), pointers == null ? null : pointers.data());
        List<Dim> xs = n.x().type().shape();
        Dim rows = Lowerer.product(xs, 0, xs.size() - 1);
        Dim in = Dim.of(n.format().cols());
        Dim outDim = Dim.of(n.format().rows());
        int a = l.view(n.x()).buffer();
        int w = l.derivedWeight(values.path() + ".dense", dense, "gemm_t");
        int bias = n.bias() == null ? -1 : l.view(n.bias()).buffer();
        int out = l.output(n.out());
        l.emit(new Kernel.Gemm(Lowerer.label(n), rows, outDim, in, a, Dim.of(0), in, w, true, true, Dim.of(0), in, out, Dim.of(0), outDim, bias,
                LinalgLowering.NONE, -1));
    }
}
