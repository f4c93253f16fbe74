package dev.lathe.lower;

import dev.lathe.interp.SparseOps;
import dev.lathe.ir.Dim;
import dev.lathe.ir.Node;
import dev.lathe.ir.Param;
import dev.lathe.ir.SparseFormat;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.model.WeightPacking;
import java.util.List;

/**
 * {@code sparse_linear}: a {@link Kernel.SparseGemm} over the stored parts (runtime {@code SparseGemm}),
 * or the GEMM over the dense masked weight ({@link SparseOps#toDense}, exactly the interpreter's
 * weight), as {@link SparseCostModel} chooses for the layer's rows: sparse, dense, or both with the
 * choice made per call by rows. CSR and BSR parts are read as stored (values f32, indices and
 * pointers as int[]); N:M parts become CSR at compile time (absolute columns, row pointers
 * {@code r * kept}). CSR values get packing {@code csr:...} naming their indices and pointers, so the
 * loader builds the weight's batch-1 row slices once. Anything but f32 with bound param parts is an
 * {@link UnsupportedOpException}, so {@code --backend auto} falls back to the interpreter.
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
        SparseFormat f = n.format();
        List<Dim> xs = n.x().type().shape();
        Dim rows = Lowerer.product(xs, 0, xs.size() - 1);
        Dim in = Dim.of(f.cols());
        Dim outDim = Dim.of(f.rows());
        int x = l.view(n.x()).buffer();
        int bias = n.bias() == null ? -1 : l.view(n.bias()).buffer();
        SparseCostModel.Choice choice = SparseCostModel.choose(f, values.data().size(), rows, l.graph.dims());
        int dense = -1;
        if (choice.kind() != SparseCostModel.Kind.SPARSE) {
            Tensor w = SparseOps.toDense(f, values.data(), indices.data(), pointers == null ? null : pointers.data());
            dense = l.derivedWeight(values.path() + ".dense", w, WeightPacking.GEMM_TRANSPOSED);
        }
        int out = l.output(n.out());
        if (choice.kind() == SparseCostModel.Kind.DENSE) {
            l.emit(new Kernel.Gemm(Lowerer.label(n), rows, outDim, in, x, Dim.of(0), in, dense, true, true, Dim.of(0), in, out, Dim.of(0), outDim, bias,
                    LinalgLowering.NONE, -1));
            return;
        }
        int indexBuffer, pointerBuffer;
        if (f.kind() == SparseFormat.Kind.NM) {
            Tensor[] csr = nmAsCsr(f, indices.data());
            indexBuffer = l.derivedWeight(indices.path() + ".columns", csr[0], WeightPacking.I32);
            pointerBuffer = l.derivedWeight(indices.path() + ".pointers", csr[1], WeightPacking.I32);
        } else {
            indexBuffer = l.weightBuffer(n.indices(), WeightPacking.I32);
            pointerBuffer = l.weightBuffer(n.pointers(), WeightPacking.I32);
        }
        // CSR values are laid out at load together with their indices and pointers (runtime CsrWeight)
        int valuesBuffer = f.kind() == SparseFormat.Kind.BSR ? l.view(n.values()).buffer()
                : l.weightBuffer(n.values(), WeightPacking.csr(f.cols(), l.buffers.get(indexBuffer).name(), l.buffers.get(pointerBuffer).name()));
        int br = f.kind() == SparseFormat.Kind.BSR ? f.blockRows() : 1;
        int bc = f.kind() == SparseFormat.Kind.BSR ? f.blockCols() : 1;
        l.emit(new Kernel.SparseGemm(Lowerer.label(n), rows, Math.toIntExact(f.rows()), Math.toIntExact(f.cols()), br, bc, x, valuesBuffer, indexBuffer,
                pointerBuffer, bias, dense, choice.kind() == SparseCostModel.Kind.BY_ROWS ? choice.denseFromRows() : 0, LinalgLowering.NONE, out));
    }

    /** N:M positions [rows, kept] as CSR: absolute columns (ascending in each row) and row pointers r * kept. */
    private static Tensor[] nmAsCsr(SparseFormat f, Tensor positions) {
        int rows = Math.toIntExact(f.rows());
        int kept = Math.toIntExact(f.cols() / f.m() * f.n());
        long[] columns = new long[rows * kept];
        long[] pointers = new long[rows + 1];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < kept; j++) {
                long at = positions.getLong(r * kept + j);
                if (at < 0 || at >= f.m()) throw new UnsupportedOpException("sparse_linear", "sparse_linear " + f + ": group position " + at + " out of range");
                columns[r * kept + j] = (long) (j / f.n()) * f.m() + at;
            }
            pointers[r + 1] = (long) (r + 1) * kept;
        }
        return new Tensor[] {Tensor.ofLongs(DType.I32, new long[] {(long) rows * kept}, columns), Tensor.ofLongs(DType.I32, new long[] {rows + 1}, pointers)};
    }
}
