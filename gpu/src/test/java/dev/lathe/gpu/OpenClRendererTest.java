package dev.lathe.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.lower.KernelProgram;
import dev.lathe.lower.Lowering;
import dev.lathe.lower.UnsupportedOpException;
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

    @Test
    void convAndAttentionAreRefusedAtCompileTime() {
        KernelProgram cnn = Lowering.lower(OpenClTestSupport.load("examples/cnn/small_cnn.model"));
        assertEquals("conv2d", assertThrows(UnsupportedOpException.class, () -> OpenClRenderer.check(cnn, true)).op());
        KernelProgram enc = Lowering.lower(OpenClTestSupport.load("examples/encoder/tiny_encoder.model"));
        assertEquals("attention", assertThrows(UnsupportedOpException.class, () -> OpenClRenderer.check(enc, true)).op());
    }
}
