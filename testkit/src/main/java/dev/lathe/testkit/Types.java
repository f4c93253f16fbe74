package dev.lathe.testkit;

import dev.lathe.ir.Dim;
import dev.lathe.ir.OpTypeException;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.runtime.DType;
import java.util.Optional;

/**
 * Small type questions the op families ask while choosing operands. Operands are checked with
 * the compiler's own typing rules ({@link dev.lathe.ir.OpTyping}) through {@link #attempt}, so the
 * generator cannot drift from what {@code GraphBuilder.op} accepts.
 */
final class Types {
    private Types() {}

    /** A typing rule applied to chosen operand types. */
    @FunctionalInterface
    interface Rule {
        TensorType apply() throws OpTypeException;
    }

    /** The rule's result type, or empty when the operands do not type-check. */
    static Optional<TensorType> attempt(Rule rule) {
        try {
            return Optional.of(rule.apply());
        } catch (OpTypeException e) {
            return Optional.empty();
        }
    }

    static boolean isFloat(Value v) {
        return v.type().dtype().isFloating();
    }

    static boolean isNumeric(Value v) {
        return v.type().dtype() != DType.BOOL;
    }

    /** The value of a constant dim, or -1 for a symbolic one. */
    static long constant(Dim d) {
        return d.isConstant() ? d.constant().getAsLong() : -1;
    }

    static boolean isOne(Dim d) {
        return constant(d) == 1;
    }
}
