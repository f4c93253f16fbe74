package dev.lathe.tornado;

import dev.lathe.ir.Dim;
import dev.lathe.lower.Buffer;
import dev.lathe.lower.KernelProgram;
import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The named dims an emitted model is specialized for. */
public final class DimBinding {
    private DimBinding() {}

    /** Named dims used by {@code p}'s buffers and signature that {@code dims} leaves unbound, sorted. */
    public static List<String> unbound(KernelProgram p, Map<String, Long> dims) {
        TreeSet<String> names = new TreeSet<>();
        for (Buffer b : p.buffers()) names.addAll(b.size().variables());
        for (KernelProgram.Io io : p.inputs()) for (Dim d : io.shape()) names.addAll(d.variables());
        for (KernelProgram.Io io : p.outputs()) for (Dim d : io.shape()) names.addAll(d.variables());
        List<String> out = new ArrayList<>();
        for (String n : names) if (!dims.containsKey(n)) out.add(n);
        return out;
    }

    /** The binding that {@code inputs} (tensors by input name) imply for the named dims of {@code p}'s inputs. */
    public static Map<String, Long> fromInputs(KernelProgram p, Map<String, Tensor> inputs) {
        Map<String, Long> env = new LinkedHashMap<>();
        for (KernelProgram.Io io : p.inputs()) {
            Tensor t = inputs.get(io.name());
            if (t == null) throw new IllegalArgumentException("missing input '" + io.name() + "'");
            for (int d = 0; d < io.shape().size() && d < t.rank(); d++) {
                Dim dim = io.shape().get(d);
                if (dim.isVariable()) env.putIfAbsent(dim.variableName(), t.dim(d));
            }
        }
        return env;
    }

    static String describe(Map<String, Long> dims) {
        if (dims.isEmpty()) return "its static shapes";
        StringBuilder sb = new StringBuilder();
        dims.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append(" = ").append(v));
        return sb.toString();
    }
}
