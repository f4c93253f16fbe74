package dev.lathe.tornado;

import java.util.List;

/** The model uses named dims that the emit call left unbound: the TornadoVM sources fix every dim at compile time. */
public final class UnboundDimException extends IllegalArgumentException {
    private final List<String> dims;

    public UnboundDimException(List<String> dims) {
        super("the tornadovm backend fixes every dim at compile time; bind " + String.join(", ", dims) + " (lathe compile --dim NAME=N)");
        this.dims = List.copyOf(dims);
    }

    public List<String> dims() {
        return dims;
    }
}
