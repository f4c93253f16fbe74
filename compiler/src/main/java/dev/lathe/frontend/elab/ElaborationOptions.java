package dev.lathe.frontend.elab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * How to elaborate a model.
 *
 * @param root          the folder every import and the weights file must stay inside (E0704); null
 *                      means the main file's folder
 * @param weightsOverride a weights file that replaces the one the model declares (its renames and
 *                      {@code lenient} are kept), or null
 * @param limits        caps that turn runaway input into E0702/E0706 instead of a hang
 * @param sourceReader  reads a {@code .model} file given its absolute path; returns null when it does
 *                      not exist. Tests use it to elaborate files that live only in memory.
 */
public record ElaborationOptions(Path root, Path weightsOverride, Limits limits, Function<Path, String> sourceReader) {

    public ElaborationOptions {
        if (limits == null) limits = Limits.DEFAULT;
        if (sourceReader == null) sourceReader = ElaborationOptions::readFile;
    }

    public static ElaborationOptions defaults() {
        return new ElaborationOptions(null, null, Limits.DEFAULT, null);
    }

    public ElaborationOptions withRoot(Path newRoot) {
        return new ElaborationOptions(newRoot, weightsOverride, limits, sourceReader);
    }

    public ElaborationOptions withWeightsOverride(Path file) {
        return new ElaborationOptions(root, file, limits, sourceReader);
    }

    public ElaborationOptions withLimits(Limits newLimits) {
        return new ElaborationOptions(root, weightsOverride, newLimits, sourceReader);
    }

    public ElaborationOptions withSourceReader(Function<Path, String> reader) {
        return new ElaborationOptions(root, weightsOverride, limits, reader);
    }

    /**
     * @param maxDepth            block instances nested deeper than this are E0702 (a recursive block)
     * @param maxNodes            more IR nodes than this are E0706
     * @param maxRepeatIterations more unrolled {@code repeat} iterations than this, all statements of
     *                            the elaboration together, are E0706
     */
    public record Limits(int maxDepth, long maxNodes, long maxRepeatIterations) {
        public static final Limits DEFAULT = new Limits(200, 1_000_000, 100_000);

        public Limits {
            if (maxDepth < 1 || maxNodes < 1 || maxRepeatIterations < 0) {
                throw new IllegalArgumentException("limits must be positive: " + maxDepth + ", " + maxNodes + ", " + maxRepeatIterations);
            }
        }
    }

    private static String readFile(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
