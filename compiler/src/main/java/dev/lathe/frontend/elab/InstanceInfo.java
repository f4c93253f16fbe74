package dev.lathe.frontend.elab;

import dev.lathe.ir.Provenance;

/**
 * One instance of the elaborated graph (LANGUAGE.md §5): a block expansion or a primitive op call,
 * by its instance path. {@code callee} is the block or op name as declared ({@code Mlp},
 * {@code attention}); {@code provenance} holds the call's span and the instance path.
 */
public record InstanceInfo(String callee, Kind kind, Provenance provenance) {

    public enum Kind { BLOCK, OP }

    public String path() {
        return provenance.instancePath();
    }
}
