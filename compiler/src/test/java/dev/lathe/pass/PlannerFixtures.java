package dev.lathe.pass;

import dev.lathe.diag.SourceSpan;
import dev.lathe.ir.Graph;
import dev.lathe.ir.Param;
import dev.lathe.ir.Provenance;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.runtime.DType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small two-block encoder's params and instances, and a builder of pass statements. */
final class PlannerFixtures {
    private PlannerFixtures() {}

    static final List<String> PARAMS = List.of(
            "blk.0.mlp.fc1.weight", "blk.0.mlp.fc1.bias", "blk.0.mlp.fc2.weight", "blk.1.mlp.fc1.weight", "blk.1.proj.weight");

    static Graph graph() {
        List<Param> params = new ArrayList<>();
        int id = 0;
        for (String p : PARAMS) {
            TensorType t = p.endsWith("bias") ? TensorType.of(DType.F32, 8) : TensorType.of(DType.F32, 8, 4);
            params.add(new Param(p, new Value(id++, t, ""), Provenance.NONE, null));
        }
        return new Graph("main", List.of(), params, List.of(), List.of(), Map.of());
    }

    static Map<String, String> instances() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("blk.0", "Encoder");
        m.put("blk.0.a", "attention");
        m.put("blk.0.mlp", "Mlp");
        m.put("blk.1", "Encoder");
        m.put("blk.1.a", "attention");
        return m;
    }

    /** A passes-section statement on source line {@code line}; {@code args} alternate name, value. */
    static PassStatement stmt(int line, String pass, List<String> selectors, Object... args) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) map.put((String) args[i], args[i + 1]);
        return new PassStatement(pass, map, selectors, new SourceSpan("m.model", line, 3, 5), PassStatement.Origin.PASSES_SECTION);
    }

    static PassStatement stmt(int line, String pass, String selector, Object... args) {
        return stmt(line, pass, List.of(selector), args);
    }
}
