package dev.lathe.interp;

import dev.lathe.diag.ErrorCode;
import dev.lathe.ir.Dim;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphInput;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.model.InputValidator;
import dev.lathe.runtime.model.ModelInputException;
import dev.lathe.runtime.model.ModelSpec;
import java.util.List;
import java.util.Map;

/**
 * Checks run-time inputs against a graph's signature and binds its named dims (E06xx) with the
 * runtime's {@link InputValidator}, the one compiled models use, so the interpreter and the JVM
 * backend reject a bad call with the same error (the rules and their order are documented there).
 */
final class InputChecker {
    private InputChecker() {}

    /** The value of every named dim the inputs determine, in order of first binding. */
    static Map<String, Long> check(Graph graph, Map<String, Tensor> inputs) {
        List<ModelSpec.IoSpec> signature = graph.inputs().stream()
                .map(in -> new ModelSpec.IoSpec(in.name(), in.value().type().dtype(), shapeAsWritten(in), -1))
                .toList();
        List<ModelSpec.DimSpec> dims = graph.dims().entrySet().stream()
                .map(e -> new ModelSpec.DimSpec(e.getKey(), e.getValue().lo(), e.getValue().hi()))
                .toList();
        try {
            return new InputValidator(graph.name(), signature, dims).check(inputs);
        } catch (ModelInputException e) {
            throw new InputException(ErrorCode.valueOf(e.code()), e.input(), e.getMessage());
        }
    }

    private static List<String> shapeAsWritten(GraphInput in) {
        return in.value().type().shape().stream().map(Dim::toString).toList();
    }
}
