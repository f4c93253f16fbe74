package dev.lathe.runtime.io;

/**
 * A weights or tensor file (safetensors, .npy, .npz) that breaks a rule of its format. The message
 * names the file, the tensor when there is one, and the rule, e.g.
 * {@code model.safetensors: tensor 'fc.weight': data_offsets [0, 12] span 12 bytes but F32 [2, 2] needs 16}.
 */
public class WeightsFormatException extends RuntimeException {
    private final String source;
    private final String key;
    private final String rule;

    /**
     * @param source the file (or archive entry) being read, as shown to the user
     * @param key the tensor key the rule concerns, or {@code null} for the file as a whole
     * @param rule what is wrong, phrased as the rule that was broken
     */
    public WeightsFormatException(String source, String key, String rule) {
        super(format(source, key, rule));
        this.source = source;
        this.key = key;
        this.rule = rule;
    }

    public WeightsFormatException(String source, String key, String rule, Throwable cause) {
        super(format(source, key, rule), cause);
        this.source = source;
        this.key = key;
        this.rule = rule;
    }

    private static String format(String source, String key, String rule) {
        return source + ": " + (key == null ? "" : "tensor '" + key + "': ") + rule;
    }

    public String source() { return source; }

    /** The tensor key, or {@code null} when the problem is not about one tensor. */
    public String key() { return key; }

    public String rule() { return rule; }
}
