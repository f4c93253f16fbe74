package dev.lathe.tornado;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The two Java sources of one model: {@code kernelsClass} (static kernel methods) and {@code hostClass}
 * (weights, task graph, execution plan, {@code run}), both in {@code packageName} (empty: the default package).
 */
public record EmittedSources(String packageName, String kernelsClass, String kernelsSource, String hostClass, String hostSource) {
    /** Fully qualified name of {@code simpleName} in this package. */
    public String qualified(String simpleName) {
        return packageName.isEmpty() ? simpleName : packageName + "." + simpleName;
    }

    /** Writes both sources under {@code dir} in their package folders; returns the two paths. */
    public List<Path> writeTo(Path dir) throws IOException {
        Path folder = packageName.isEmpty() ? dir : dir.resolve(packageName.replace('.', '/'));
        Files.createDirectories(folder);
        Path k = folder.resolve(kernelsClass + ".java"), h = folder.resolve(hostClass + ".java");
        Files.writeString(k, kernelsSource);
        Files.writeString(h, hostSource);
        return List.of(k, h);
    }
}
