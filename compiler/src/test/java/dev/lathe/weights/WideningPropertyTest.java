package dev.lathe.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.floats;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.lathe.diag.SourceSpan;
import dev.lathe.ir.Graph;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.io.SafetensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WideningPropertyTest {
    @TempDir
    Path dir;

    /** An f16 or bf16 tensor bound to an f32 param holds exactly the values the file stores. */
    @Test
    void halfPrecisionBindsToF32WithoutChangingAnyValue() {
        qt().withExamples(60)
                .forAll(lists().of(floats().between(-70000f, 70000f)).ofSizeBetween(1, 12), integers().between(0, 1))
                .checkAssert((values, which) -> {
                    DType stored = which == 0 ? DType.F16 : DType.BF16;
                    float[] raw = new float[values.size()];
                    for (int i = 0; i < raw.length; i++) raw[i] = values.get(i);
                    Tensor t = Tensor.ofFloats(stored, new long[] {raw.length}, raw);   // rounds to the stored type
                    Graph g = WeightsBinderTest.graph(WeightsBinderTest.p("w", DType.F32, raw.length));
                    Path file = dir.resolve("w.safetensors");
                    try {
                        SafetensorsWriter.write(file, Map.of("w", t), Map.of());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    Tensor bound = WeightsBinder.bind(g, WeightsBinderTest.strict(file)).bound().param("w").data();
                    assertEquals(DType.F32, bound.dtype());
                    assertArrayEquals(t.toFloatArray(), bound.toFloatArray());
                });
    }

    /** {@code layers.{i}.} -> {@code blk.{i}.} moves any index and keeps any suffix. */
    @Test
    void renameKeepsTheIndexAndTheSuffix() throws Exception {
        RenameRule rule = RenameRule.compile(new WeightsSpec.Rename("layers.{i}.", "blk.{i}.", SourceSpan.UNKNOWN));
        qt().forAll(integers().between(0, 100_000), strings().betweenCodePoints('a', 'z').ofLengthBetween(0, 8))
                .checkAssert((n, suffix) -> {
                    assertEquals(Optional.of("blk." + n + "." + suffix), rule.apply("layers." + n + "." + suffix));
                    assertEquals(Optional.empty(), rule.apply("x.layers." + n + "." + suffix));
                });
    }

    @Test
    void elementTypeRulesMatchTheLanguage() {
        assertEquals(List.of(DType.F32, DType.F16, DType.BF16), ElementTypes.accepted(DType.F32));
        assertEquals(List.of(DType.F64, DType.F32, DType.F16, DType.BF16), ElementTypes.accepted(DType.F64));
        for (DType t : DType.values()) {
            if (t != DType.F32 && t != DType.F64) assertEquals(List.of(t), ElementTypes.accepted(t));
        }
    }
}
