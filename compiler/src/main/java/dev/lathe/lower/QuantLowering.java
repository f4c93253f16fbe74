package dev.lathe.lower;

import dev.lathe.ir.Dim;
import dev.lathe.ir.Node;
import dev.lathe.ir.Param;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.kernels.QuantMatrix;
import dev.lathe.runtime.model.WeightPacking;
import java.util.List;

/**
 * quantized_linear becomes one {@link Kernel.QuantGemm}: the weights file holds the integers packed
 * as the runtime reads them (one byte per 8-bit weight, two 4-bit weights per byte: a u8 tensor
 * {@code <q>.packed}), the scales as the param holds them (f32, or f16 group scales, widened to f32
 * arrays at load), asymmetric the zero points as u8, and for DGQ the u8 group scales; the kernel
 * dequantizes in registers (or, with dynamic activations, multiplies integers; DGQ multiplies int8
 * activations by the int8 weight {@code (q - zero) * groupScale}, which the runtime makes once from
 * the 4-bit weight). Anything else (non-f32 activations,
 * weights that are not bound params, runtime kernels off, sizes beyond int) is an
 * {@link UnsupportedOpException}, never a wrong result.
 */
final class QuantLowering {
    private QuantLowering() {}

    static void quantizedLinear(Lowerer l, Node.QuantizedLinear n) {
        Param q = l.param(n.q());
        Param scales = l.param(n.scales());
        Param zeros = n.zeros() == null ? null : l.param(n.zeros());
        Param groupScales = n.groupScales() == null ? null : l.param(n.groupScales());
        if (!LinalgLowering.fast(l, n.out().type().dtype()) || q == null || scales == null || (n.zeros() != null && zeros == null)
                || q.data() == null || scales.data() == null || (zeros != null && zeros.data() == null) || n.group() > Integer.MAX_VALUE
                || (n.dgq() && (groupScales == null || groupScales.data() == null))) {
            throw new UnsupportedOpException(n.opName(), "op " + n.opName() + " is supported by the jvm backend only on f32 inputs with bound params"
                    + " and runtime kernels" + Lowerer.where(n));
        }
        Tensor qt = q.data();
        int out = (int) qt.dim(0), in = (int) qt.dim(1);
        DType type = qt.dtype();
        boolean signed = type == DType.I8 || type == DType.I4;
        // q: [out, in] integers -> u8 [out, rowBytes], the bytes QuantMatrix reads.
        byte[] packed = QuantMatrix.pack(qt.toLongArray(), out, in, n.bits(), signed);
        long[] bytes = new long[packed.length];
        for (int i = 0; i < packed.length; i++) bytes[i] = packed[i] & 0xFF;
        Tensor stored = Tensor.ofLongs(DType.U8, new long[] {out, QuantMatrix.rowBytes(in, n.bits())}, bytes);
        int qb = l.derivedWeight(q.path() + ".packed", stored, WeightPacking.quant(type, in));
        // f32 scales as they are; f16 group scales stay f16 in the file and load widened into a float[].
        int sb = l.weightBuffer(n.scales(), scales.data().dtype() == DType.F16 ? WeightPacking.AS_F32 : WeightPacking.NONE);
        int zb = -1;
        if (zeros != null) {
            // u4 has no file element type: zero points are stored as u8 either way.
            zb = zeros.data().dtype() == DType.U8 ? l.weightBuffer(n.zeros(), WeightPacking.AS_F32)
                    : l.derivedWeight(zeros.path() + ".u8", zeros.data().cast(DType.U8), WeightPacking.AS_F32);
        }
        // DGQ: the u8 group scales as stored, loaded as floats; the runtime builds the int8 weight from them.
        int gb = groupScales == null ? -1 : l.weightBuffer(n.groupScales(), WeightPacking.AS_F32);
        List<Dim> xs = n.x().type().shape();
        Dim rows = Lowerer.product(xs, 0, xs.size() - 1);
        int bias = n.bias() == null ? -1 : l.view(n.bias()).buffer();
        int a = l.view(n.x()).buffer();
        int c = l.output(n.out());
        l.emit(new Kernel.QuantGemm(Lowerer.label(n), rows, Dim.of(out), Dim.of(in), a, qb, sb, zb, n.bits(), signed, (int) n.group(),
                n.granularity() != Node.QuantGranularity.TENSOR, n.dynamicActivations(), bias, c, gb));
    }
}
