package dev.lathe.backend.jvm;

import dev.lathe.backend.jvm.bytecode.MethodBuilder;
import dev.lathe.ir.Dim;
import dev.lathe.lower.Kernel;
import dev.lathe.runtime.model.WeightPacking;
import org.objectweb.asm.Opcodes;

/** Emits a call into a runtime kernel ({@code dev.lathe.runtime.kernels}) for a call kernel. */
final class CallEmitter implements Opcodes {
    private static final String K = "dev/lathe/runtime/kernels/";
    private static final String F = "[F";
    private static final String PAR = "L" + K + "Parallelism;";
    private static final String EPILOGUE = K + "Epilogue";
    private static final String ACTIVATION = K + "Activation";

    private final MethodContext c;
    private final MethodBuilder m;

    CallEmitter(MethodContext c) {
        this.c = c;
        this.m = c.m;
    }

    void emit(Kernel k) {
        for (int b : k.reads()) c.declareBuffer(b);
        for (int b : k.writes()) c.declareBuffer(b);
        switch (k) {
            case Kernel.Gemm g -> gemm(g);
            case Kernel.BatchedMatMul b -> batched(b);
            case Kernel.Conv cv -> conv(cv);
            case Kernel.Pool q -> pool(q);
            case Kernel.Rows r -> rows(r);
            case Kernel.Attention a -> attention(a);
            case Kernel.LinearAttention a -> linearAttention(a);
            case Kernel.QuantGemm q -> quantGemm(q);
            case Kernel.SparseGemm g -> sparseGemm(g);
            case Kernel.Loop l -> throw new IllegalArgumentException("not a call");
        }
    }

    private void dims(Dim... ds) {
        for (Dim d : ds) c.declareDim(d);
    }

    private void gemm(Kernel.Gemm g) {
        dims(g.m(), g.n(), g.k(), g.aOff(), g.lda(), g.bOff(), g.ldb(), g.cOff(), g.ldc());
        if (g.packed()) {
            // gemm(m, a, aOff, lda, PackedMatrix b, c, cOff, ldc, epilogue, par)
            c.pushDim(g.m());
            c.pushBuffer(g.a());
            c.pushDim(g.aOff());
            c.pushDim(g.lda());
            c.pushBuffer(g.b());
            c.pushBuffer(g.c());
            c.pushDim(g.cOff());
            c.pushDim(g.ldc());
            epilogue(g);
            c.pushParallelism();
            m.invokeStatic(K + "Gemm", "gemm", "(I" + F + "IIL" + MethodContext.PACKED + ";" + F + "IIL" + EPILOGUE + ";" + PAR + ")V");
        } else {
            // gemm(m, n, k, a, aOff, lda, transA, b, bOff, ldb, transB, c, cOff, ldc, epilogue, par)
            c.pushDim(g.m());
            c.pushDim(g.n());
            c.pushDim(g.k());
            c.pushBuffer(g.a());
            c.pushDim(g.aOff());
            c.pushDim(g.lda());
            m.iconst(0);
            c.pushBuffer(g.b());
            c.pushDim(g.bOff());
            c.pushDim(g.ldb());
            m.iconst(g.transB() ? 1 : 0);
            c.pushBuffer(g.c());
            c.pushDim(g.cOff());
            c.pushDim(g.ldc());
            epilogue(g);
            c.pushParallelism();
            m.invokeStatic(K + "Gemm", "gemm", "(III" + F + "IIZ" + F + "IIZ" + F + "IIL" + EPILOGUE + ";" + PAR + ")V");
        }
    }

    /** {@code new Epilogue(bias, 0, act, residual, cOff, ldc)}, or {@code Epilogue.NONE}. */
    private void epilogue(Kernel.Gemm g) {
        if (g.bias() < 0 && g.residual() < 0 && g.activation().equals("NONE")) {
            m.getStatic(EPILOGUE, "NONE", "L" + EPILOGUE + ";");
            return;
        }
        m.newObject(EPILOGUE);
        c.pushBuffer(g.bias());
        m.iconst(0);
        m.getStatic(ACTIVATION, g.activation(), "L" + ACTIVATION + ";");
        c.pushBuffer(g.residual());
        c.pushDim(g.cOff());
        c.pushDim(g.ldc());
        m.invokeSpecial(EPILOGUE, "<init>", "(" + F + "IL" + ACTIVATION + ";" + F + "II)V");
    }

    private void batched(Kernel.BatchedMatMul b) {
        Dim strideC = b.m().times(b.n());
        dims(b.batch(), b.m(), b.n(), b.k(), b.strideA(), b.strideB(), strideC);
        // matmul(batch, m, n, k, a, aOff, strideA, lda, transA, b, bOff, strideB, ldb, transB, c, cOff, strideC, ldc, par)
        c.pushDim(b.batch());
        c.pushDim(b.m());
        c.pushDim(b.n());
        c.pushDim(b.k());
        c.pushBuffer(b.a());
        m.iconst(0);
        c.pushDim(b.strideA());
        c.pushDim(b.k());
        m.iconst(0);
        c.pushBuffer(b.b());
        m.iconst(0);
        c.pushDim(b.strideB());
        c.pushDim(b.n());
        m.iconst(0);
        c.pushBuffer(b.c());
        m.iconst(0);
        c.pushDim(strideC);
        c.pushDim(b.n());
        c.pushParallelism();
        m.invokeStatic(K + "BatchedMatMul", "matmul", "(IIII" + F + "IIIZ" + F + "IIIZ" + F + "III" + PAR + ")V");
    }

    private void conv(Kernel.Conv cv) {
        dims(cv.batch(), cv.cin(), cv.h(), cv.w(), cv.cout(), cv.kh(), cv.kw());
        // A weight packed at load (ConvWeights) carries cout, kh and kw:
        // forwardPacked(x, xOff, batch, cin, h, w, weight, bias, biasOff, geometry, act, out, outOff, par);
        // otherwise forward(x, xOff, batch, cin, h, w, weight, wOff, cout, kh, kw, bias, biasOff, geometry, act, out, outOff, par)
        boolean packed = MethodContext.isConvPacking(c.program.buffer(cv.weight()).packing());
        c.pushBuffer(cv.x());
        m.iconst(0);
        c.pushDim(cv.batch());
        c.pushDim(cv.cin());
        c.pushDim(cv.h());
        c.pushDim(cv.w());
        c.pushBuffer(cv.weight());
        if (!packed) {
            m.iconst(0);
            c.pushDim(cv.cout());
            c.pushDim(cv.kh());
            c.pushDim(cv.kw());
        }
        c.pushBuffer(cv.bias());
        m.iconst(0);
        String geometry = K + "ConvGeometry";
        m.newObject(geometry);
        m.iconst(cv.stride().get(0));
        m.iconst(cv.stride().get(1));
        for (int p : cv.pads()) m.iconst(p);
        m.iconst(cv.dilation().get(0));
        m.iconst(cv.dilation().get(1));
        m.iconst(cv.groups());
        m.invokeSpecial(geometry, "<init>", "(IIIIIIIII)V");
        m.getStatic(ACTIVATION, cv.activation(), "L" + ACTIVATION + ";");
        c.pushBuffer(cv.out());
        m.iconst(0);
        c.pushParallelism();
        String tail = F + "IL" + geometry + ";L" + ACTIVATION + ";" + F + "I" + PAR + ")V";
        if (packed) {
            m.invokeStatic(K + "Conv2d", cv.maxPool2x2() ? "forwardPackedMaxPool2x2" : "forwardPacked",
                    "(" + F + "IIIIIL" + MethodContext.CONV_WEIGHTS + ";" + tail);
        } else {
            m.invokeStatic(K + "Conv2d", cv.maxPool2x2() ? "forwardMaxPool2x2" : "forward", "(" + F + "IIIII" + F + "IIII" + tail);
        }
    }

    private void pool(Kernel.Pool q) {
        dims(q.batch(), q.channels(), q.h(), q.w());
        // forward(x, xOff, batch, channels, h, w, max, kh, kw, geometry, out, outOff, par)
        c.pushBuffer(q.x());
        m.iconst(0);
        c.pushDim(q.batch());
        c.pushDim(q.channels());
        c.pushDim(q.h());
        c.pushDim(q.w());
        m.iconst(q.max() ? 1 : 0);
        m.iconst(q.kh());
        m.iconst(q.kw());
        String geometry = K + "ConvGeometry";
        m.newObject(geometry);
        m.iconst(q.stride().get(0));
        m.iconst(q.stride().get(1));
        for (int p : q.pads()) m.iconst(p);
        m.iconst(1);
        m.iconst(1);
        m.iconst(1);
        m.invokeSpecial(geometry, "<init>", "(IIIIIIIII)V");
        c.pushBuffer(q.out());
        m.iconst(0);
        c.pushParallelism();
        m.invokeStatic(K + "Pool2d", "forward", "(" + F + "IIIIIZIIL" + geometry + ";" + F + "I" + PAR + ")V");
    }

    private void rows(Kernel.Rows r) {
        dims(r.rows(), r.cols());
        c.pushBuffer(r.x());
        m.iconst(0);
        c.pushDim(r.rows());
        c.pushDim(r.cols());
        switch (r.op()) {
            case SOFTMAX, LOG_SOFTMAX -> {
                c.pushBuffer(r.out());
                m.iconst(0);
                m.invokeStatic(K + "Softmax", r.op() == Kernel.RowOp.SOFTMAX ? "rows" : "logRows", "(" + F + "III" + F + "I)V");
            }
            case LAYER_NORM -> {
                c.pushBuffer(r.weight());
                c.pushBuffer(r.bias());
                m.fconst((float) r.eps());
                c.pushBuffer(r.out());
                m.iconst(0);
                m.invokeStatic(K + "LayerNorm", "rows", "(" + F + "III" + F + F + "F" + F + "I)V");
            }
            case RMS_NORM -> {
                c.pushBuffer(r.weight());
                m.fconst((float) r.eps());
                c.pushBuffer(r.out());
                m.iconst(0);
                m.invokeStatic(K + "RmsNorm", "rows", "(" + F + "III" + F + "F" + F + "I)V");
            }
        }
    }

    private void attention(Kernel.Attention a) {
        dims(a.batch(), a.sq(), a.sk(), a.dh(), a.dv());
        a.maskStrides().forEach(c::declareDim);
        // forward(q, qOff, k, kOff, v, vOff, batch, sq, sk, heads, dh, dv, scale, causal, mask, out, outOff, par)
        c.pushBuffer(a.q());
        m.iconst(0);
        c.pushBuffer(a.k());
        m.iconst(0);
        c.pushBuffer(a.v());
        m.iconst(0);
        c.pushDim(a.batch());
        c.pushDim(a.sq());
        c.pushDim(a.sk());
        m.iconst(a.heads());
        c.pushDim(a.dh());
        c.pushDim(a.dv());
        if (Double.isNaN(a.scale())) {
            // 1 / sqrt(dh), dh known only at run time
            m.dconst(1);
            c.pushDim(a.dh());
            m.insn(I2D);
            m.invokeStatic("java/lang/Math", "sqrt", "(D)D");
            m.insn(DDIV);
            m.insn(D2F);
        } else {
            m.fconst((float) a.scale());
        }
        m.iconst(a.causal() ? 1 : 0);
        String mask = K + "AttentionMask";
        if (a.mask() < 0) {
            m.aconstNull();
        } else {
            m.newObject(mask);
            if (a.additiveMask()) {
                c.pushBuffer(a.mask());
                m.aconstNull();
            } else {
                m.aconstNull();
                c.pushBuffer(a.mask());
            }
            m.iconst(0);
            for (Dim s : a.maskStrides()) c.pushDim(s);
            m.invokeSpecial(mask, "<init>", "(" + F + "[ZIIIII)V");
        }
        c.pushBuffer(a.out());
        m.iconst(0);
        c.pushParallelism();
        m.invokeStatic(K + "Attention", "forward", "(" + F + "I" + F + "I" + F + "IIIIIIIFZL" + mask + ";" + F + "I" + PAR + ")V");
    }

    private void linearAttention(Kernel.LinearAttention a) {
        dims(a.batch(), a.sq(), a.sk(), a.dh(), a.dv());
        // forward(q, k, v, batch, sq, sk, heads, dh, dv, method, size, seed, causal, scale, out, par)
        c.pushBuffer(a.q());
        c.pushBuffer(a.k());
        c.pushBuffer(a.v());
        c.pushDim(a.batch());
        c.pushDim(a.sq());
        c.pushDim(a.sk());
        m.iconst(a.heads());
        c.pushDim(a.dh());
        c.pushDim(a.dv());
        m.iconst(a.method());
        m.iconst(a.size());
        m.lconst(a.seed());
        m.iconst(a.causal() ? 1 : 0);
        m.dconst(a.scale());
        c.pushBuffer(a.out());
        c.pushParallelism();
        m.invokeStatic(K + "LinearAttention", "forward", "(" + F + F + F + "IIIIIIIIJZD" + F + PAR + ")V");
    }

    /**
     * linear|dynamic(m, a, aOff, lda, QuantMatrix w, scales, zeros, group, perRow, bias, biasOff, c, cOff, ldc, par), or for DGQ
     * dgq(m, a, aOff, lda, QuantMatrix w, groupScales, zeros, group, channelScales, bias, biasOff, c, cOff, ldc, par).
     */
    private void quantGemm(Kernel.QuantGemm q) {
        dims(q.m(), q.n(), q.k());
        boolean dgq = q.groupScales() >= 0;
        c.pushDim(q.m());
        c.pushBuffer(q.a());
        m.iconst(0);
        c.pushDim(q.k());
        c.pushBuffer(q.q());
        c.pushBuffer(dgq ? q.groupScales() : q.scales());
        c.pushBuffer(q.zeros());
        m.iconst(q.group());
        if (dgq) c.pushBuffer(q.scales());
        else m.iconst(q.perRow() ? 1 : 0);
        c.pushBuffer(q.bias());
        m.iconst(0);
        c.pushBuffer(q.c());
        m.iconst(0);
        c.pushDim(q.n());
        c.pushParallelism();
        m.invokeStatic(K + "QuantGemm", dgq ? "dgq" : q.dynamic() ? "dynamic" : "linear",
                "(I" + F + "IIL" + MethodContext.QUANT_MATRIX + ";" + F + F + "I" + (dgq ? F : "Z") + F + "I" + F + "II" + PAR + ")V");
    }

    private void sparseGemm(Kernel.SparseGemm g) {
        dims(g.m());
        // CSR: linear(m, x, csrWeight, bias, act, dense, denseFromRows, y, par), the CsrWeight holding indices and pointers;
        // BSR: linear(m, x, out, in, br, bc, values, indices, pointers, bias, act, dense, denseFromRows, y, par)
        boolean csr = c.program.buffer(g.values()).packing().startsWith(WeightPacking.CSR_PREFIX);
        c.pushDim(g.m());
        c.pushBuffer(g.x());
        if (!csr) {
            m.iconst(g.out());
            m.iconst(g.in());
            m.iconst(g.blockRows());
            m.iconst(g.blockCols());
        }
        c.pushBuffer(g.values());
        if (!csr) {
            c.pushBuffer(g.indices());
            c.pushBuffer(g.pointers());
        }
        c.pushBuffer(g.bias());
        m.getStatic(ACTIVATION, g.activation(), "L" + ACTIVATION + ";");
        c.pushBuffer(g.dense());
        m.iconst(g.denseFromRows());
        c.pushBuffer(g.y());
        c.pushParallelism();
        String weight = csr ? "L" + MethodContext.CSR_WEIGHT + ";" : "IIII" + F + "[I[I";
        m.invokeStatic(K + "SparseGemm", "linear", "(I" + F + weight + F + "L" + ACTIVATION + ";L" + MethodContext.PACKED + ";I" + F + PAR + ")V");
    }
}
