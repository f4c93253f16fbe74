package dev.lathe.testkit;

import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Graph;
import dev.lathe.runtime.Tensor;
import java.util.Map;

/**
 * Runs a bound graph on named inputs and returns its outputs by name: the reference interpreter
 * ({@code Interpreter::run}) or a compiled backend, for {@link RewriteProperties#preservesOutputs}.
 */
@FunctionalInterface
public interface GraphRunner {
    /** The reference interpreter, which defines what every op means (DESIGN.md §4). */
    GraphRunner INTERPRETER = Interpreter::run;

    Map<String, Tensor> run(Graph graph, Map<String, Tensor> inputs);
}
