package dev.lathe.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.lower.KernelProgram;
import dev.lathe.lower.Lowering;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The renderer alone (no OpenCL device needed): what it emits and what it refuses. */
class OpenClRendererTest {
    @Test
    void gemmIsVectorizedWithFloat16Tiles() {
        KernelProgram p = GpuCheck.gemmProgram(64);
        OpenClRenderer.Rendered r = OpenClRenderer.render(p, Map.of(), true);
        assertTrue(r.source().contains("float16 acc0"), r.source());
        assertTrue(r.source().contains("vload16"), r.source());
        assertTrue(r.source().contains("vload4"), r.source());
        assertEquals(1, r.launches().size());
        assertEquals(64 / OpenClRenderer.TILE_N, r.launches().getFirst().global()[0]);
        assertEquals(64 / OpenClRenderer.TILE_M, r.launches().getFirst().global()[1]);
    }

    @Test
    void mlpRendersToGemmsWithFusedEpilogues() {
        KernelProgram p = Lowering.lower(OpenClTestSupport.load("examples/mlp/mlp.model"));
        String src = OpenClRenderer.render(p, Map.of("B", 4L), true).source();
        assertTrue(src.contains("lt_act(1, "), "relu fused into the GEMM epilogue:\n" + src);
    }

    /**
     * The cnn's convolutions (16 and 32 output channels) take float8 blocks: one work-item per (batch, 8 channels, pooled
     * pixel), since each conv's 2x2 max pool is fused into it.
     */
    @Test
    void cnnConvolutionsRenderWithFloat8OverOutputChannels() {
        KernelProgram cnn = Lowering.lower(OpenClTestSupport.load("examples/cnn/small_cnn.model"));
        OpenClRenderer.Rendered r = OpenClRenderer.render(cnn, Map.of("B", 2L), true);
        java.util.List<OpenClRenderer.Launch> convs = r.launches().stream().filter(l -> l.label().startsWith("conv")).toList();
        assertEquals(2, convs.size(), r.source());
        assertEquals(2 * (16 / 8) * 14 * 14, convs.get(0).global()[0]);
        assertEquals(2 * (32 / 8) * 7 * 7, convs.get(1).global()[0]);
        assertTrue(r.source().contains("float8 acc"), r.source());
    }

    @Test
    void quantizedLinearRendersFromThePackedBytes() {
        dev.lathe.ir.Graph mlp = OpenClTestSupport.load("examples/mlp/mlp.model");
        dev.lathe.pass.PassStatement s = dev.lathe.api.PassStatementText.parse("quantize(bits = 4, granularity = \"group\", group = 32) on \"**\"", "test",
                dev.lathe.pass.PassStatement.Origin.COMMAND_LINE);
        dev.lathe.ir.Graph q = dev.lathe.pass.PassPipeline.standard().run(mlp, dev.lathe.pass.PassPlanner.plan(java.util.List.of(s), mlp, Map.of())).graph();
        KernelProgram p = Lowering.lower(q);
        OpenClRenderer.check(p, true);
        String src = OpenClRenderer.render(p, Map.of("B", 2L), true).source();
        // int4: four packed bytes (eight weights) per vload4, both nibbles sign-extended in registers
        assertTrue(src.contains("const uchar4 raw = vload4(0, "), src);
        assertTrue(src.contains("as_char4(raw << (uchar4)(4)) >> (char4)(4)"), src);
    }

    /** The encoder's attention renders as one online-softmax kernel: one work-item per (batch, head, query row). */
    @Test
    void encoderAttentionRendersOneWorkItemPerQueryRow() {
        KernelProgram enc = Lowering.lower(OpenClTestSupport.load("examples/encoder/tiny_encoder.model"));
        OpenClRenderer.check(enc, true);
        OpenClRenderer.Rendered r = OpenClRenderer.render(enc, Map.of("B", 2L, "S", 8L), true);
        java.util.List<OpenClRenderer.Launch> attention = r.launches().stream().filter(l -> l.label().startsWith("attention")).toList();
        assertTrue(!attention.isEmpty(), r.source());
        for (OpenClRenderer.Launch l : attention) assertEquals(2 * 4 * 8, l.global()[0]);
        assertTrue(r.source().contains("float qv[64]"), r.source());
        assertTrue(r.source().contains("if (s > mx)"), r.source());
    }
}
