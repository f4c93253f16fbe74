package dev.lathe.pass.lowrank;

import dev.lathe.ir.Graph;
import dev.lathe.ir.Node;
import dev.lathe.ir.Param;
import dev.lathe.ir.Value;
import dev.lathe.pass.GraphEdits;
import java.util.ArrayList;
import java.util.List;

/**
 * How a {@code lowrank} target is used, which decides whether and how it can be factored: every
 * use must be of one kind, the weight of a {@code linear} ([out, in]), the right operand of a
 * {@code matmul} ([in, out], rank 2), or the weight of a 1x1 {@code conv2d} with one group
 * ([out, in, 1, 1]). The weight is then factored in the orientation of a linear layer, an
 * {@code [m, n] = [out, in]} matrix: as it is, transposed, or with its 1x1 kernel dims dropped.
 *
 * @param nodes the nodes that use the weight, in graph order
 * @param inputs the activation each of those nodes multiplies the weight with ({@code x}, the left operand)
 */
record WeightUses(Kind kind, List<Node> nodes, List<Value> inputs, int m, int n) {
    enum Kind {
        LINEAR("linear"), MATMUL("matmul"), CONV_1X1("1x1 conv2d");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** The analysis of {@code p}'s uses: the uses, or why lowrank cannot factor it (a precondition message). */
    sealed interface Analysis permits Usable, Unusable {}

    record Usable(WeightUses uses) implements Analysis {}

    record Unusable(String why) implements Analysis {}

    private static final String EXPECTED = "lowrank factors the weight of a linear, the right operand of a matmul, or the weight of a 1x1 conv2d";

    static Analysis of(Graph g, Param p) {
        Value w = p.value();
        if (!p.type().dtype().isFloating()) return new Unusable("it is " + p.type() + "; lowrank factors float weights");
        if (GraphEdits.isOutput(g, w)) return new Unusable("it is a graph output");
        List<Node> users = GraphEdits.users(g, w);
        if (users.isEmpty()) return new Unusable("no op uses it");
        Kind kind = null;
        List<Value> inputs = new ArrayList<>();
        for (Node node : users) {
            Kind k;
            switch (node) {
                case Node.Linear l when l.w().equals(w) && !l.x().equals(w) && !w.equals(l.b()) -> {
                    k = Kind.LINEAR;
                    inputs.add(l.x());
                }
                case Node.MatMul mm when mm.b().equals(w) && !mm.a().equals(w) -> {
                    if (p.type().rank() != 2) return new Unusable("it is the right operand of matmul with rank " + p.type().rank() + "; lowrank needs rank 2");
                    k = Kind.MATMUL;
                    inputs.add(mm.a());
                }
                case Node.Conv2d c when c.w().equals(w) && !c.x().equals(w) -> {
                    long[] shape = p.type().staticShape();
                    if (shape[2] != 1 || shape[3] != 1) {
                        return new Unusable("it is a " + shape[2] + "x" + shape[3] + " conv2d kernel; lowrank factors only 1x1 convolutions");
                    }
                    if (c.groups() != 1) return new Unusable("it is the weight of a conv2d with groups = " + c.groups() + "; lowrank needs groups = 1");
                    k = Kind.CONV_1X1;
                    inputs.add(c.x());
                }
                default -> {
                    return new Unusable("it is used by " + node.opName() + role(node, w) + "; " + EXPECTED);
                }
            }
            if (kind != null && kind != k) return new Unusable("it is used both by a " + kind.label + " and by a " + k.label);
            kind = k;
        }
        long[] shape = p.type().staticShape();
        int m = Math.toIntExact(kind == Kind.MATMUL ? shape[1] : shape[0]);
        int n = Math.toIntExact(kind == Kind.MATMUL ? shape[0] : shape[1]);
        return new Usable(new WeightUses(kind, users, inputs, m, n));
    }

    private static String role(Node node, Value w) {
        return switch (node) {
            case Node.Linear l -> l.x().equals(w) ? " as its input" : " as its bias";
            case Node.MatMul mm -> " as its left operand";
            case Node.Conv2d c -> c.x().equals(w) ? " as its input" : " as its bias";
            default -> "";
        };
    }

    /** The weight's data as the [m, n] matrix that is factored, row-major in double. */
    double[] oriented(double[] data) {
        return kind == Kind.MATMUL ? Matrices.transpose(data, n, m) : data;
    }
}
