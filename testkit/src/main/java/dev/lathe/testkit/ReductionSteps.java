package dev.lathe.testkit;

import dev.lathe.ir.Value;
import java.util.ArrayList;
import java.util.List;

/** Steps of the reductions ({@code sum mean max min argmax}) and of {@code softmax}, {@code log_softmax}. */
final class ReductionSteps {
    private ReductionSteps() {}

    /** Over a random subset of the axes (none chosen: every axis, as {@code axes = []} means). */
    static void reduce(GraphAssembler g, String op, Choices ch) {
        Value x = g.pick(ch, op.equals("mean") ? Types::isFloat : Types::isNumeric);
        if (x == null) return;
        int rank = x.type().rank();
        int mask = rank == 0 ? 0 : ch.below(1 << rank);
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            if ((mask & (1 << i)) != 0) axes.add(spellAxis(ch, i, rank));
        }
        g.op1(op, List.of(x), Attrs.of("axes", axes, "keepdims", ch.flag()));
    }

    static void argmax(GraphAssembler g, Choices ch) {
        Value x = g.pick(ch, v -> Types.isNumeric(v) && v.type().rank() >= 1);
        if (x == null) return;
        int rank = x.type().rank();
        g.op1("argmax", List.of(x), Attrs.of("axes", List.of(spellAxis(ch, ch.below(rank), rank)), "keepdims", ch.flag()));
    }

    static void softmax(GraphAssembler g, String op, Choices ch) {
        Value x = g.pick(ch, v -> Types.isFloat(v) && v.type().rank() >= 1);
        if (x == null) return;
        int rank = x.type().rank();
        g.op1(op, List.of(x), Attrs.of("axis", spellAxis(ch, ch.below(rank), rank)));
    }

    /** {@code axis} as written, counted from the end a third of the time, as sources often do. */
    static int spellAxis(Choices ch, int axis, int rank) {
        return ch.oneIn(3) ? axis - rank : axis;
    }
}
