package dev.lathe.frontend.elab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.Dim;
import dev.lathe.ir.DimBounds;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphOutput;
import dev.lathe.ir.IrVerifier;
import dev.lathe.ir.Node;
import dev.lathe.ir.Param;
import dev.lathe.ir.TensorType;
import dev.lathe.pass.PassStatement;
import dev.lathe.runtime.DType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The models under {@code elab/valid}: the graphs they elaborate to, their paths and passes. */
class ValidModelsTest {
    private static final Dim B = Dim.var("B");
    private static final Dim S = Dim.var("S");

    @ParameterizedTest
    @ValueSource(strings = {"tiny_encoder", "mlp", "convnet", "transformer"})
    void elaboratedGraphsPassTheVerifier(String name) {
        Graph g = Fixtures.elaborateResource("valid/" + name + ".model").graph();
        assertEquals(List.of(), IrVerifier.verify(g));
    }

    @Test
    void tinyEncoderKeepsBatchAndSequenceSymbolic() {
        ElaboratedModel m = Fixtures.elaborateResource("valid/tiny_encoder.model");
        Graph g = m.graph();
        assertEquals("main", g.name());
        assertEquals(new TensorType(DType.F32, List.of(B, S, Dim.of(256))), g.inputs().getFirst().value().type());
        GraphOutput out = g.outputs().getFirst();
        assertEquals("output", out.name());
        assertEquals("f32[B, S, 256]", out.value().type().toString());
        assertEquals(Map.of("B", new DimBounds(1L, 64L), "S", new DimBounds(1L, 512L)), g.dims());
        assertNull(m.weights());
    }

    @Test
    void tinyEncoderParamsFollowInstancePaths() {
        Graph g = Fixtures.elaborateResource("valid/tiny_encoder.model").graph();
        // Per Encoder: LayerNorm n1 (2), q/k/v (3 x 2), proj (2), LayerNorm n2 (2), Mlp fc1/fc2 (2 x 2).
        assertEquals(2 * (2 + 6 + 2 + 2 + 4), g.params().size());
        assertEquals(TensorType.of(DType.F32, 1024, 256), g.param("blk.0.mlp.fc1.weight").type());
        assertEquals(TensorType.of(DType.F32, 256, 1024), g.param("blk.1.mlp.fc2.weight").type());
        assertEquals(TensorType.of(DType.F32, 256, 256), g.param("blk.1.proj.weight").type());
        assertEquals(TensorType.of(DType.F32, 256), g.param("blk.0.n2.bias").type());
        assertEquals("blk.0.q.weight", g.params().get(2).path());
    }

    @Test
    void tinyEncoderInstances() {
        ElaboratedModel m = Fixtures.elaborateResource("valid/tiny_encoder.model");
        Map<String, InstanceInfo> inst = m.instances();
        assertEquals(new InstanceInfo("Encoder", InstanceInfo.Kind.BLOCK, inst.get("blk.1").provenance()), inst.get("blk.1"));
        assertEquals("Mlp", inst.get("blk.0.mlp").callee());
        assertEquals("Activation", inst.get("blk.0.mlp.act").callee());
        // An op assigned to a name is named by it; the attention assigned to `a` inside blk.0.
        assertEquals(InstanceInfo.Kind.OP, inst.get("blk.0.a").kind());
        assertEquals("attention", inst.get("blk.0.a").callee());
        // `h = x + Linear(...)` is the add named h; the returned sum is the second add of the block.
        assertEquals("add", inst.get("blk.0.h").callee());
        assertEquals("add", inst.get("blk.0.add_1").callee());
        assertEquals("gelu", inst.get("blk.1.mlp.act.x").callee());
        assertEquals("blk.0.mlp", inst.get("blk.0.mlp").path());
        assertEquals(17, inst.get("blk.0.mlp").provenance().span().line());
        Node attention = m.graph().nodes().stream().filter(n -> n.opName().equals("attention")).findFirst().orElseThrow();
        assertEquals("blk.0.a", attention.provenance().instancePath());
        assertEquals(15, attention.provenance().span().line());
    }

    @Test
    void tinyEncoderPassesAreAnnotationsThenSection() {
        List<PassStatement> passes = Fixtures.elaborateResource("valid/tiny_encoder.model").passes();
        assertEquals(5, passes.size());
        assertEquals("kernelize", passes.get(0).pass());
        assertEquals(List.of("blk.0.a"), passes.get(0).selectors());
        assertEquals(Map.of("method", "favor", "features", 128L), passes.get(0).args());
        assertEquals(PassStatement.Origin.ANNOTATION, passes.get(0).origin());
        assertEquals(List.of("blk.1.a"), passes.get(1).selectors());
        assertEquals("lowrank", passes.get(2).pass());
        assertEquals(Map.of("energy", 0.95), passes.get(2).args());
        assertEquals(List.of("blk.*.mlp.fc1.weight"), passes.get(2).selectors());
        assertEquals(PassStatement.Origin.PASSES_SECTION, passes.get(2).origin());
        assertEquals(Map.of("bits", 8L, "granularity", "channel"), passes.get(3).args());
        assertEquals(List.of("blk.1.proj.weight"), passes.get(4).selectors());
        assertEquals(28, passes.get(4).span().line());
    }

    @Test
    void mlpHasNamedOutputsAndABiasFreeHead() {
        ElaboratedModel m = Fixtures.elaborateResource("valid/mlp.model");
        Graph g = m.graph();
        assertEquals(List.of("logits", "hidden"), g.outputs().stream().map(GraphOutput::name).toList());
        assertEquals("f32[B, 10]", g.outputs().get(0).value().type().toString());
        assertEquals("f32[B, 256]", g.outputs().get(1).value().type().toString());
        List<String> paths = g.params().stream().map(Param::path).toList();
        assertEquals(List.of("body.fc1.weight", "body.fc1.bias", "body.fc2.weight", "body.fc2.bias", "proj.weight", "proj.bias",
                "scale", "head.weight"), paths);
        // Mlp keeps its input width: fc2 maps the 256 hidden units back to 784.
        assertEquals(TensorType.of(DType.F32, 784, 256), g.param("body.fc2.weight").type());
        Node.Linear head = (Node.Linear) g.nodes().stream().filter(n -> n.provenance().instancePath().equals("head.linear_0"))
                .findFirst().orElseThrow();
        assertNull(head.b());
        assertEquals(List.of(new PassStatement("quantize", Map.of("bits", 4L, "granularity", "group", "group", 32L),
                List.of("scale"), m.passes().getFirst().span(), PassStatement.Origin.ANNOTATION)), m.passes());
        assertEquals(11, m.passes().getFirst().span().line());
    }

    @Test
    void convnetShapesFollowConvolutionAndPooling() {
        Graph g = Fixtures.elaborateResource("valid/convnet.model").graph();
        Dim n = Dim.var("N");
        assertEquals(new TensorType(DType.F32, List.of(n, Dim.of(10))), g.outputs().getFirst().value().type());
        assertEquals(TensorType.of(DType.F32, 8, 1, 3, 3), g.param("stage1.conv.weight").type());
        assertEquals(TensorType.of(DType.F32, 16, 8, 3, 3), g.param("stage2.conv.weight").type());
        assertEquals(TensorType.of(DType.I64), g.param("stage2.bn.num_batches_tracked").type());
        // 16 channels of 7 x 7 after two 2 x 2 pools of 28 x 28.
        assertEquals(TensorType.of(DType.F32, 10, 16 * 7 * 7), g.param("fc.weight").type());
        assertTrue(g.params().stream().noneMatch(p -> p.path().equals("stage1.conv.bias")));
        Node pool = g.nodes().stream().filter(x -> x.provenance().instancePath().equals("stage2.max_pool2d_0")).findFirst().orElseThrow();
        assertEquals(new TensorType(DType.F32, List.of(n, Dim.of(16), Dim.of(7), Dim.of(7))), pool.outputs().getFirst().type());
    }

    @Test
    void transformerLayersUseTorchNames() {
        ElaboratedModel m = Fixtures.elaborateResource("valid/transformer.model");
        Graph g = m.graph();
        assertEquals("f32[B, S, 64]", g.outputs().getFirst().value().type().toString());
        assertEquals(TensorType.of(DType.F32, 192, 64), g.param("layer.0.self_attn.in_proj_weight").type());
        assertEquals(TensorType.of(DType.F32, 256, 64), g.param("layer.1.linear1.weight").type());
        assertEquals(TensorType.of(DType.F32, 64, 256), g.param("layer.1.linear2.weight").type());
        assertEquals(TensorType.of(DType.F32, 64), g.param("norm.bias").type());
        assertEquals(2 * 12 + 2, g.params().size());
        assertEquals("TransformerEncoderLayer", m.instances().get("layer.1").callee());
        assertEquals("attention", m.instances().get("layer.0.self_attn.a").callee());
        // Both residual adds of a layer are assigned to x: the second gets a suffix.
        assertEquals("add", m.instances().get("layer.0.x").callee());
        assertEquals("add", m.instances().get("layer.0.x_1").callee());
        List<PassStatement> p = m.passes();
        assertEquals(List.of(List.of("layer.0"), List.of("layer.1"),
                List.of("layer.*.linear1.weight", "layer.*.linear2.weight"), List.of("**.weight")),
                p.stream().map(PassStatement::selectors).toList());
        assertEquals(Map.of("rank", 16L, "min_saving", 0.1), p.get(2).args());
        assertEquals(Map.of("bits", 8L, "symmetric", true), p.get(3).args());
    }
}
