package dev.lathe.weights;

import dev.lathe.diag.SourceSpan;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a model's parameters come from: the {@code weights} declaration (path already resolved
 * against the model file and checked to stay inside the model's root folder) or a CLI override.
 */
public record WeightsSpec(Path file, boolean lenient, List<Rename> renames, SourceSpan span) {
    public WeightsSpec {
        renames = List.copyOf(renames);
    }

    /** {@code rename "layers.{i}." -> "blk.{i}.";}: a file-key prefix pattern and its replacement. */
    public record Rename(String from, String to, SourceSpan span) {}
}
