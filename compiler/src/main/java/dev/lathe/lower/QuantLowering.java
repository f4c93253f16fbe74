package dev.lathe.lower;

import dev.lathe.interp.QuantOps;
import dev.lathe.ir.Dim;
import dev.lathe.ir.Node;
import dev.lathe.ir.Param;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.List;

/**
 * quantized_linear, correct rather than fast: the weight is dequantized once at compile time
 * ({@link QuantOps#dequantize}, rounded to f32) and the layer becomes the f32 GEMM of a linear
 * layer, so the compiled weights hold f32, not the packed integers. Anything else (non-f32
 * activations, weights that are not params, runtime kernels off) is an {@link UnsupportedOpException},
 * never a wrong result. Integer kernels are issue 5's next step.
 */
final class QuantLowering {
    private QuantLowering() {}

    static void quantizedLinear(Lowerer l, Node.QuantizedLinear n) {
        if (n.dgq()) {
            // The f32 GEMM of the dequantized weight would skip the int8 rounding of the activations,
            // which moves results by up to max|x| / 254 * ||W_o||_1: not the interpreter's answer.
            throw new UnsupportedOpException(n.opName(), "quantized_linear with DGQ (int8 activations) is not compiled by the jvm backend yet"
                    + Lowerer.where(n));
        }
        Param q = l.param(n.q());
        Param scales = l.param(n.scales());
        Param zeros = n.zeros() == null ? null : l.param(n.zeros());
        if (!LinalgLowering.fast(l, n.out().type().dtype()) || q == null || scales == null || (n.zeros() != null && zeros == null)
                || q.data() == null || scales.data() == null || (zeros != null && zeros.data() == null)) {
            throw new UnsupportedOpException(n.opName(), "op " + n.opName() + " is supported by the jvm backend only on f32 inputs with bound params"
                    + " and runtime kernels" + Lowerer.where(n));
        }
        // w: [out, in], the weight the interpreter multiplies with, rounded once to f32.
        double[] w = QuantOps.dequantize(q.data(), scales.data(), zeros == null ? null : zeros.data(), n.granularity(), n.group());
        Tensor dequantized = Tensor.fromDoubles(DType.F32, q.data().shape(), w);
        List<Dim> xs = n.x().type().shape();
        Dim rows = Lowerer.product(xs, 0, xs.size() - 1);
        Dim in = n.q().type().dim(1);
        Dim outDim = n.q().type().dim(0);
        int out = l.output(n.out());
        int bias = n.bias() == null ? -1 : l.view(n.bias()).buffer();
        int a = l.view(n.x()).buffer();
        int b = l.derivedWeight(q.path() + ".dequantized", dequantized, "gemm_t");
        l.emit(new Kernel.Gemm(Lowerer.label(n), rows, outDim, in, a, Dim.of(0), in, b, true, true, Dim.of(0), in, out, Dim.of(0), outDim, bias,
                LinalgLowering.NONE, -1));
    }
}
