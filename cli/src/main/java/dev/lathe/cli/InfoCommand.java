package dev.lathe.cli;

import dev.lathe.api.Lathe;
import dev.lathe.api.LoadedModel;
import dev.lathe.frontend.elab.InstanceInfo;
import dev.lathe.ir.Costs;
import dev.lathe.ir.Dim;
import dev.lathe.ir.Graph;
import dev.lathe.ir.Node;
import dev.lathe.ir.Param;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Params, bytes and FLOPs per block instance (each row counts its whole subtree) and in total.
 * FLOPs are symbolic in the named dims unless every dim is given with {@code --dim}.
 */
@Command(name = "info", description = "Print params, bytes and FLOPs per instance path, and totals.")
final class InfoCommand implements Callable<Integer> {
    @Mixin ModelOptions model;

    @Option(names = "--dim", paramLabel = "NAME=N", description = "evaluate FLOPs with this size of a named dim (repeatable)")
    List<String> dims = new ArrayList<>();

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        LoadedModel loaded = Lathe.load(model.file, model.toLoadOptions().withBindWeights(false));
        Warnings.print(spec.commandLine().getErr(), loaded.warnings());
        Graph g = loaded.graph();
        Map<String, Long> env = DimOption.parse(dims);
        List<String[]> rows = new ArrayList<>();
        List<String> blocks = loaded.elaborated().instances().values().stream()
                .filter(i -> i.kind() == InstanceInfo.Kind.BLOCK).map(InstanceInfo::path).toList();
        for (InstanceInfo inst : loaded.elaborated().instances().values()) {
            if (inst.kind() != InstanceInfo.Kind.BLOCK) continue;
            String path = inst.path();
            rows.add(row(indent(path, blocks) + path + " (" + inst.callee() + ")", paramsUnder(g, path), flopsUnder(g, path), env));
        }
        rows.add(row("total", g.params(), Costs.flops(g), env));
        print(spec.commandLine().getOut(), rows);
        return LatheCommand.OK;
    }

    /** Two spaces per enclosing block instance (paths may contain dots of their own: "blk.0"). */
    private static String indent(String path, List<String> blocks) {
        return "  ".repeat((int) blocks.stream().filter(b -> path.startsWith(b + ".")).count());
    }

    private static List<Param> paramsUnder(Graph g, String path) {
        return g.params().stream().filter(p -> p.path().startsWith(path + ".")).toList();
    }

    private static Dim flopsUnder(Graph g, String path) {
        Dim total = Dim.of(0);
        for (Node n : g.nodes()) {
            String p = n.provenance().instancePath();
            if (p.equals(path) || p.startsWith(path + ".")) total = total.plus(Costs.flops(n));
        }
        return total;
    }

    private static String[] row(String label, List<Param> params, Dim flops, Map<String, Long> env) {
        long count = 0, bytes = 0;
        for (Param p : params) {
            count += Costs.paramCount(p);
            bytes += Costs.bytes(p);
        }
        String f;
        try {
            f = String.format(Locale.ROOT, "%,d", flops.evaluate(env));
        } catch (IllegalArgumentException | ArithmeticException e) {
            f = flops.toString();
        }
        return new String[] {label, String.format(Locale.ROOT, "%,d", count), String.format(Locale.ROOT, "%,d", bytes), f};
    }

    private static void print(PrintWriter out, List<String[]> rows) {
        String[] header = {"instance", "params", "bytes", "FLOPs"};
        int[] w = new int[header.length];
        for (int i = 0; i < w.length; i++) w[i] = header[i].length();
        for (String[] r : rows) for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i], r[i].length());
        String fmt = "%-" + w[0] + "s  %" + w[1] + "s  %" + w[2] + "s  %s%n";
        out.printf(fmt, (Object[]) header);
        for (String[] r : rows) out.printf(fmt, (Object[]) r);
    }
}
