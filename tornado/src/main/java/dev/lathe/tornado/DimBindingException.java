package dev.lathe.tornado;

/**
 * The dims given to the emitter do not fit the model: a used named dim is unbound (the TornadoVM sources
 * fix every dim at compile time) or a value lies outside the dim's declared bounds.
 */
public final class DimBindingException extends IllegalArgumentException {
    public DimBindingException(String message) {
        super(message);
    }
}
