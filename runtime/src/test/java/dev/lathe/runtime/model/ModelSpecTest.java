package dev.lathe.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lathe.runtime.DType;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSpecTest {
    @Test
    void theDescriptorReadsBackToTheSameSpec() {
        ModelSpec spec = new ModelSpec("main", "dev.lathe.runtime.model.gen.Mlp", List.of(new ModelSpec.DimSpec("B", 1L, 64L), new ModelSpec.DimSpec("S", null, null)),
                List.of("B * 784", "784", "B"),
                List.of(new ModelSpec.BufferSpec(0, ModelSpec.Role.INPUT, DType.F32, 0, "x", -1, "", List.of()),
                        new ModelSpec.BufferSpec(1, ModelSpec.Role.WEIGHT, DType.F32, 1, "fc.weight", -1, "gemm_t", List.of(1L, 784L)),
                        new ModelSpec.BufferSpec(2, ModelSpec.Role.SCRATCH, DType.F64, 2, "", 0, "", List.of()),
                        new ModelSpec.BufferSpec(3, ModelSpec.Role.OUTPUT, DType.I64, 2, "", -1, "", List.of())),
                List.of(new ModelSpec.IoSpec("x", DType.F32, List.of("B", "784"), 0)), List.of(new ModelSpec.IoSpec("y", DType.I64, List.of("B"), 3)),
                "mlp.safetensors");
        assertEquals(spec, ModelSpec.parse(spec.format()));
        assertEquals(1, spec.slotCount());
    }

    @Test
    void aBadLineIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse("lathe-model\t1\ngraph\tmain\nbogus\tx\n"));
        assertEquals(true, e.getMessage().contains("line 3"), e.getMessage());
    }
}
