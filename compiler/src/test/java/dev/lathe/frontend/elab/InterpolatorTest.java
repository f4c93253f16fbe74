package dev.lathe.frontend.elab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lathe.diag.ErrorCode;
import dev.lathe.diag.SourceSpan;
import dev.lathe.ir.Dim;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.runtime.DType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterpolatorTest {
    private static final SourceSpan AT = new SourceSpan("t.model", 1, 1, 1);
    private static final Map<String, Val> VALUES = Map.of(
            "i", Val.Int.of(3),
            "S", new Val.Int(Dim.var("S").times(2)),
            "eps", new Val.Float(1e-5),
            "on", new Val.Bool(true),
            "act", new Val.Str("gelu"),
            "ks", new Val.ListV(List.of(Val.Int.of(3), Val.Int.of(5))),
            "nn.D", Val.Int.of(64),
            "x", new Val.Tensor(new Value(0, TensorType.of(DType.F32, 2), "x")));

    private static String run(String text) {
        return Interpolator.interpolate(text, AT, (name, span) -> {
            Val v = VALUES.get(name);
            if (v == null) throw new ElabError(ErrorCode.E0201, span, "undefined name " + name);
            return v;
        });
    }

    private static String code(String text) {
        return assertThrows(ElabError.class, () -> run(text)).diagnostic().code();
    }

    @Test
    void replacesEachKindOfValue() {
        assertEquals("blk.3", run("blk.{i}"));
        assertEquals("2 * S rows, eps 1.0E-5, on=true, act gelu, ks [3, 5], D=64", run("{S} rows, eps {eps}, on={on}, act {act}, ks {ks}, D={ nn.D }"));
        assertEquals("no braces", run("no braces"));
        assertEquals("33", run("{i}{i}"));
    }

    @Test
    void rejectsBadBracesUnknownNamesAndTensors() {
        assertEquals("E0106", code("blk.{i"));
        assertEquals("E0106", code("blk.i}"));
        assertEquals("E0106", code("{{i}}"));
        assertEquals("E0106", code("{}"));
        assertEquals("E0106", code("{1x}"));
        assertEquals("E0201", code("{nope}"));
        assertEquals("E0308", code("{x}"));
    }

    @Test
    void renamePatternsOnlyNeedBalancedBraces() {
        Interpolator.checkBalanced("layers.{i}.", AT);
        assertEquals("E0106", assertThrows(ElabError.class, () -> Interpolator.checkBalanced("layers.{i.", AT)).diagnostic().code());
        assertEquals("E0106", assertThrows(ElabError.class, () -> Interpolator.checkBalanced("a}{", AT)).diagnostic().code());
    }
}
