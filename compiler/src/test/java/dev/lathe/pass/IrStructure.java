package dev.lathe.pass;

import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphInput;
import dev.lathe.ir.GraphOutput;
import dev.lathe.ir.IrPrinter;
import dev.lathe.ir.Node;
import dev.lathe.ir.Param;
import dev.lathe.ir.Provenance;
import dev.lathe.ir.Value;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Structural comparison of graphs for golden tests (STYLE.md: never as text): two graphs are the
 * same when their inputs (names, types), params (paths, types), nodes (op record, attributes, the
 * values they read by definition position, result types) and outputs (names, values) agree.
 * Value ids, hints, provenance and param data are not compared.
 */
public final class IrStructure {
    private IrStructure() {}

    /** The graph as a list of lines in which every value is named by its definition position. */
    public static List<String> of(Graph g) {
        Map<Integer, Integer> position = new HashMap<>();
        List<String> out = new ArrayList<>();
        for (GraphInput in : g.inputs()) {
            position.put(in.value().id(), position.size());
            out.add("input " + in.name() + ": " + in.value().type());
        }
        for (Param p : g.params()) {
            position.put(p.value().id(), position.size());
            out.add("param " + p.path() + ": " + p.type());
        }
        for (Node n : g.nodes()) {
            StringBuilder line = new StringBuilder(n.getClass().getSimpleName()).append('(');
            for (RecordComponent c : n.getClass().getRecordComponents()) {
                Object v;
                try {
                    v = c.getAccessor().invoke(n);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
                if (v instanceof Provenance) continue;
                boolean output = v != null && n.outputs().contains(v) || (v instanceof List<?> l && !l.isEmpty() && n.outputs().containsAll(l));
                if (output) continue;
                line.append(c.getName()).append('=').append(render(v, position)).append(", ");
            }
            line.append(") -> ");
            for (Value o : n.outputs()) {
                position.put(o.id(), position.size());
                line.append('$').append(position.get(o.id())).append(": ").append(o.type()).append(' ');
            }
            out.add(line.toString().trim());
        }
        for (GraphOutput o : g.outputs()) out.add("output " + o.name() + " = " + render(o.value(), position));
        return out;
    }

    private static String render(Object v, Map<Integer, Integer> position) {
        return switch (v) {
            case null -> "null";
            case Value val -> position.containsKey(val.id()) ? "$" + position.get(val.id()) : "undefined " + val.ref();
            case List<?> list -> list.stream().map(e -> render(e, position)).toList().toString();
            default -> v.toString();
        };
    }

    /** Fails with both graphs printed when they differ structurally. */
    public static void assertSame(Graph expected, Graph actual) {
        List<String> e = of(expected);
        List<String> a = of(actual);
        if (!e.equals(a)) {
            throw new AssertionError("graphs differ structurally\n--- expected\n" + String.join("\n", e) + "\n--- actual\n" + String.join("\n", a)
                    + "\n--- actual IR\n" + IrPrinter.print(actual));
        }
    }
}
