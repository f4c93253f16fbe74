package dev.lathe.maven;

import dev.lathe.frontend.elab.ElaborationOptions;

/**
 * The {@code <limits>} of the plugin configuration (DESIGN.md §8): input beyond them is a clear
 * error (E07xx) instead of a hang or a crash. Every field is optional; the defaults are the
 * compiler's.
 *
 * <pre>{@code
 * <limits>
 *   <maxSourceBytes>1048576</maxSourceBytes>   <!-- per .model file, E0701 -->
 *   <maxNesting>200</maxNesting>               <!-- block instances nested, E0702 -->
 *   <maxNodes>1000000</maxNodes>               <!-- IR nodes per graph, E0706 -->
 *   <maxRepeatIterations>100000</maxRepeatIterations>
 * </limits>
 * }</pre>
 */
public class Limits {
    /** The parser's own limit, which this one can lower but not raise. */
    static final int PARSER_MAX_SOURCE_BYTES = 1 << 20;

    private int maxSourceBytes = PARSER_MAX_SOURCE_BYTES;
    private int maxNesting = ElaborationOptions.Limits.DEFAULT.maxDepth();
    private long maxNodes = ElaborationOptions.Limits.DEFAULT.maxNodes();
    private long maxRepeatIterations = ElaborationOptions.Limits.DEFAULT.maxRepeatIterations();

    public Limits() {}

    Limits(int maxSourceBytes, int maxNesting, long maxNodes, long maxRepeatIterations) {
        this.maxSourceBytes = maxSourceBytes;
        this.maxNesting = maxNesting;
        this.maxNodes = maxNodes;
        this.maxRepeatIterations = maxRepeatIterations;
    }

    public void setMaxSourceBytes(int maxSourceBytes) {
        this.maxSourceBytes = maxSourceBytes;
    }

    public void setMaxNesting(int maxNesting) {
        this.maxNesting = maxNesting;
    }

    public void setMaxNodes(long maxNodes) {
        this.maxNodes = maxNodes;
    }

    public void setMaxRepeatIterations(long maxRepeatIterations) {
        this.maxRepeatIterations = maxRepeatIterations;
    }

    int maxSourceBytes() {
        return maxSourceBytes;
    }

    /** The front end's limits; {@link IllegalArgumentException} when one is not positive. */
    ElaborationOptions.Limits elaboration() {
        return new ElaborationOptions.Limits(maxNesting, maxNodes, maxRepeatIterations);
    }

    /** Checks every value; the message names the first bad one. */
    String problem() {
        if (maxSourceBytes < 1) return "<limits><maxSourceBytes> must be at least 1, got " + maxSourceBytes;
        if (maxSourceBytes > PARSER_MAX_SOURCE_BYTES) {
            return "<limits><maxSourceBytes> can be at most " + PARSER_MAX_SOURCE_BYTES + " (the parser's limit), got " + maxSourceBytes;
        }
        if (maxNesting < 1) return "<limits><maxNesting> must be at least 1, got " + maxNesting;
        if (maxNodes < 1) return "<limits><maxNodes> must be at least 1, got " + maxNodes;
        if (maxRepeatIterations < 0) return "<limits><maxRepeatIterations> must not be negative, got " + maxRepeatIterations;
        return null;
    }

    /** The values, in a stable form for the build fingerprint. */
    @Override
    public String toString() {
        return "maxSourceBytes=" + maxSourceBytes + ",maxNesting=" + maxNesting + ",maxNodes=" + maxNodes + ",maxRepeatIterations="
                + maxRepeatIterations;
    }
}
