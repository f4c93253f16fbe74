package dev.lathe.pass;

import dev.lathe.ir.Graph;
import dev.lathe.ir.Param;
import dev.lathe.runtime.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a pass may know besides the graph it rewrites: the {@code reference} graph (the bound
 * graph the pipeline started from, before any lossy pass, so that a pass can measure or compensate
 * the error of an earlier one) and calibration {@code feeds} (each a full input map of the graph;
 * empty when none were given). Immutable.
 */
public record PassContext(Graph reference, List<Map<String, Tensor>> calibration) {
    public PassContext {
        Objects.requireNonNull(reference, "reference");
        calibration = calibration.stream().map(Map::copyOf).toList();
    }

    /** No calibration inputs. */
    public static PassContext of(Graph reference) {
        return new PassContext(reference, List.of());
    }

    public boolean hasCalibration() {
        return !calibration.isEmpty();
    }

    /** The data of param {@code path} as the pipeline received it, if the reference graph has it. */
    public Optional<Tensor> referenceData(String path) {
        return reference.params().stream().filter(p -> p.path().equals(path)).map(Param::data).filter(Objects::nonNull).findFirst();
    }
}
