package dev.lathe.pass;

import dev.lathe.ir.Dim;
import java.util.Objects;

/**
 * The size and cost of a target, or of a whole graph: parameter count, storage bytes, and FLOPs
 * as {@link dev.lathe.ir.Costs} counts them (symbolic in the graph's named dims, so
 * {@code 2 * B * 4096} for a batch of B rows).
 */
public record Footprint(long params, long bytes, Dim flops) {
    public static final Footprint ZERO = new Footprint(0, 0, Dim.of(0));

    public Footprint {
        Objects.requireNonNull(flops, "flops");
    }

    public Footprint plus(Footprint o) {
        return new Footprint(Math.addExact(params, o.params), Math.addExact(bytes, o.bytes), flops.plus(o.flops));
    }
}
