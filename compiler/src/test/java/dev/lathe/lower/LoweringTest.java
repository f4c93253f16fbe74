package dev.lathe.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.Dim;
import dev.lathe.ir.Graph;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoweringTest {
    @Test
    void linearReluAndResidualAddBecomeGemmsWithFusedEpilogues() {
        KernelProgram p = Lowering.lower(TestGraphs.mlp());
        assertEquals(2, p.kernels().size(), KernelPrinter.print(p));
        Kernel.Gemm fc1 = assertInstanceOf(Kernel.Gemm.class, p.kernels().get(0));
        assertEquals("RELU", fc1.activation());
        assertTrue(fc1.packed() && fc1.bias() >= 0);
        Kernel.Gemm fc2 = assertInstanceOf(Kernel.Gemm.class, p.kernels().get(1));
        assertEquals(p.inputs().get(1).buffer(), fc2.residual(), "the skip input is the residual");
        assertEquals(p.outputs().getFirst().buffer(), fc2.c());
        assertEquals("gemm_t", p.buffer(fc1.b()).packing());
    }

    @Test
    void anElementwiseChainIsOneFlatLoopIndexedByItsInductionVariable() {
        KernelProgram p = Lowering.lower(TestGraphs.chain());
        assertEquals(1, p.kernels().size(), KernelPrinter.print(p));
        Kernel.Loop loop = assertInstanceOf(Kernel.Loop.class, p.kernels().getFirst());
        assertEquals(List.of(Dim.of(15).times(TestGraphs.B)), loop.extents(), "coalesced to one dim");
        Affine i0 = Affine.term(0, Dim.of(1));
        assertEquals(i0, loop.outIndex());
        Scalar.forEach(loop.body(), s -> {
            if (s instanceof Scalar.Load l && l.type() == dev.lathe.runtime.DType.F32 && l.index().coefs().size() > 0) assertEquals(i0, l.index());
        });
    }

    @Test
    void withoutFusionEveryElementwiseOpIsItsOwnLoop() {
        KernelProgram p = Lowering.lower(TestGraphs.chain(), LowerOptions.defaults().withFusion(false));
        assertEquals(7, p.kernels().size(), KernelPrinter.print(p));
    }

    @Test
    void intermediatesShareSlotsOnceTheyAreDead() {
        KernelProgram p = Lowering.lower(TestGraphs.deep());
        long temps = p.buffers().stream().filter(b -> b.kind() == Buffer.Kind.TEMP).count();
        long slots = p.buffers().stream().filter(b -> b.kind() == Buffer.Kind.TEMP).mapToInt(Buffer::slot).distinct().count();
        assertTrue(temps >= 6, KernelPrinter.print(p));
        assertTrue(slots <= 2, "ping-pong between two slots: " + KernelPrinter.print(p));
        KernelProgram noReuse = Lowering.lower(TestGraphs.deep(), LowerOptions.defaults().withBufferReuse(false));
        assertEquals(temps, noReuse.buffers().stream().filter(b -> b.kind() == Buffer.Kind.TEMP).mapToInt(Buffer::slot).distinct().count());
    }

    @Test
    void noKernelReadsTheSlotItWrites() {
        for (Graph g : List.of(TestGraphs.mlp(), TestGraphs.chain(), TestGraphs.deep(), TestGraphs.lowRank())) {
            for (LowerOptions o : List.of(LowerOptions.defaults(), LowerOptions.defaults().withRuntimeKernels(false))) {
                KernelProgram p = Lowering.lower(g, o);
                for (Kernel k : p.kernels()) {
                    for (int w : k.writes()) {
                        for (int r : k.reads()) {
                            Buffer bw = p.buffer(w), br = p.buffer(r);
                            boolean shared = bw.kind() == Buffer.Kind.TEMP && br.kind() == Buffer.Kind.TEMP && bw.slot() == br.slot();
                            assertTrue(w == r || !shared, KernelPrinter.kernel(k) + " reads and writes slot " + bw.slot());
                        }
                    }
                }
            }
        }
    }

    @Test
    void withoutRuntimeKernelsEverythingIsALoopNest() {
        KernelProgram p = Lowering.lower(TestGraphs.mlp(), LowerOptions.defaults().withRuntimeKernels(false));
        assertTrue(p.kernels().stream().allMatch(k -> k instanceof Kernel.Loop), KernelPrinter.print(p));
        Kernel.Loop fc1 = (Kernel.Loop) p.kernels().getFirst();
        assertEquals(Kernel.ReduceOp.SUM, fc1.reduction().op());
        assertTrue(fc1.reduction().init() != null, "the bias starts the sum, as in the interpreter");
    }

    @Test
    void poolingCallsTheRuntimeKernelAndAMaxPoolFoldsIntoTheConv() {
        KernelProgram p = Lowering.lower(TestGraphs.convPool());
        assertEquals(2, p.kernels().size(), KernelPrinter.print(p));
        Kernel.Conv conv = assertInstanceOf(Kernel.Conv.class, p.kernels().get(0));
        assertTrue(conv.maxPool2x2() && conv.activation().equals("RELU"), KernelPrinter.print(p));
        Kernel.Pool avg = assertInstanceOf(Kernel.Pool.class, p.kernels().get(1));
        assertTrue(!avg.max() && avg.kh() == 3 && avg.pads().equals(List.of(1, 1, 1, 1)));
        assertEquals(conv.out(), avg.x());
        assertTrue(KernelPrinter.print(p).contains("then max_pool2d 2x2"), KernelPrinter.print(p));

        KernelProgram unfused = Lowering.lower(TestGraphs.convPool(), LowerOptions.defaults().withFusion(false));
        assertEquals(4, unfused.kernels().size(), "conv, relu, max pool, avg pool: " + KernelPrinter.print(unfused));
        assertInstanceOf(Kernel.Pool.class, unfused.kernels().get(2));

        KernelProgram loops = Lowering.lower(TestGraphs.convPool(), LowerOptions.defaults().withRuntimeKernels(false));
        assertTrue(loops.kernels().stream().allMatch(k -> k instanceof Kernel.Loop), KernelPrinter.print(loops));
    }

    @Test
    void convWeightsArePackedAtLoadForTheirKernel() {
        KernelProgram direct = Lowering.lower(TestGraphs.convPool());
        Kernel.Conv conv = assertInstanceOf(Kernel.Conv.class, direct.kernels().get(0));
        assertEquals("conv_direct", direct.buffer(conv.weight()).packing(), "stride 1, small image: the direct kernel's blocks");
        assertTrue(KernelPrinter.print(direct).contains("packed conv_direct"), KernelPrinter.print(direct));

        KernelProgram strided = Lowering.lower(TestGraphs.convStrided());
        List<Kernel.Conv> convs = strided.kernels().stream().filter(k -> k instanceof Kernel.Conv).map(k -> (Kernel.Conv) k).toList();
        assertEquals(2, convs.size(), KernelPrinter.print(strided));
        assertEquals("conv", strided.buffer(convs.get(0).weight()).packing(), "stride 2: the implicit GEMM's panels");
        assertEquals("conv_direct", strided.buffer(convs.get(1).weight()).packing(), "stride 1 and dilation 2: direct");
        assertEquals(-1, convs.get(1).bias());
    }

    @Test
    void lowRankLinearIsTwoGemmsThroughARankSizedIntermediate() {
        KernelProgram p = Lowering.lower(TestGraphs.lowRank());
        List<Kernel.Gemm> gemms = p.kernels().stream().filter(k -> k instanceof Kernel.Gemm).map(k -> (Kernel.Gemm) k).toList();
        assertEquals(2, gemms.size(), KernelPrinter.print(p));
        assertEquals(Dim.of(2), gemms.get(0).n());
        assertEquals(Dim.of(5), gemms.get(1).n());
    }

    @Test
    void thePrinterShowsBuffersKernelsAndTheSignature() {
        String text = KernelPrinter.print(Lowering.lower(TestGraphs.mlp()));
        assertTrue(text.startsWith("kernels main\n"), text);
        assertTrue(text.contains("in  x: f32[B, 8] -> b0"), text);
        assertTrue(text.contains("weight fc1.weight f32[16, 8] packed gemm_t"), text);
        assertTrue(text.contains("gemm (linear"), text);
        assertTrue(text.contains("out y: f32[B, 4]"), text);
    }
}
