package dev.lathe.frontend.elab;

import dev.lathe.diag.ErrorCode;
import dev.lathe.diag.SourceSpan;
import dev.lathe.frontend.ast.Decl;
import dev.lathe.frontend.ast.Expr;
import dev.lathe.frontend.ast.TypeRef;
import dev.lathe.ir.OpTypeException;
import dev.lathe.ir.Provenance;
import dev.lathe.ir.Value;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Emits primitive op calls into the graph (GraphBuilder.op): tensor inputs in signature order
 * ({@code null} for an absent optional input, variadic ones flattened in place), attributes after
 * defaults (evaluated in std.ops; absent optional attributes left out). The op's typing errors
 * become diagnostics at the call. Decisions: a compile-time number given for a tensor input
 * becomes a rank-0 constant of the dtype of the other tensor operand (for operators) or of the
 * first tensor argument (for calls), else f32 for a float and i64 for an int; a non-integral float
 * against an integer tensor, or a number against a bool tensor, is E0302.
 */
final class PrimitiveCalls {
    private final Expander x;

    PrimitiveCalls(Expander x) {
        this.x = x;
    }

    /** An operator ({@code a + b}, {@code -a}) as a call of {@code op}, named like any other call. */
    Val operator(String op, List<Val> operands, Expr expr, Frame f, TopLevel top) {
        SourceSpan span = expr.span();
        for (Val v : operands) {
            if (v instanceof Val.Absent a) throw absent(a, "the operand of " + op, span);
        }
        String local = InstanceRegistry.automaticName(f, op, top == null ? null : top.assignedName());
        String path = x.ctx.instances().registerOp(f, local, false, op, span);
        if (top != null) top.setInstancePath(path);
        DType dtype = firstTensorType(operands);
        List<Value> inputs = new ArrayList<>();
        for (Val v : operands) inputs.add(tensorOf(v, dtype, span, path));
        return emit(op, inputs, Map.of(), span, path).getFirst();
    }

    /** A call of a primitive whose arguments are bound; {@code path} is its registered instance path. */
    List<Val> call(Decl.Block op, LoadedModule module, Map<String, CallBinder.BoundArg> bound, SourceSpan span, String path) {
        DType dtype = firstTensorType(bound.values().stream().map(CallBinder.BoundArg::value).toList());
        List<Value> inputs = new ArrayList<>();
        Map<String, Object> attrs = new LinkedHashMap<>();
        Map<String, Val> earlier = new LinkedHashMap<>();
        for (Decl.SigParam p : op.params()) {
            CallBinder.BoundArg arg = bound.get(p.name());
            if (p.type() instanceof TypeRef.Attribute type) {
                Val v = arg != null ? AttributeValues.check(op.name(), p.name(), type, arg.value(), arg.span())
                        : p.defaultValue() != null ? AttributeValues.check(op.name(), p.name(), type,
                                Defaults.evaluate(p, module, earlier), p.defaultValue().span())
                        : null;
                if (v != null) {
                    earlier.put(p.name(), v);
                    attrs.put(p.name(), AttributeValues.toIr(v));
                }
            } else if (p.variadic()) {
                if (arg != null && arg.value() instanceof Val.ListV xs) {
                    for (Val v : xs.elements()) inputs.add(inputOf(op, p, v, dtype, arg.span(), path));
                }
            } else if (arg == null || arg.value() instanceof Val.Absent && p.optional()) {
                inputs.add(null);
            } else {
                inputs.add(inputOf(op, p, arg.value(), dtype, arg.span(), path));
            }
        }
        return emit(op.name(), inputs, attrs, span, path);
    }

    private List<Val> emit(String op, List<Value> inputs, Map<String, Object> attrs, SourceSpan span, String path) {
        List<Value> out;
        try {
            out = x.ctx.builder().op(op, inputs, attrs, new Provenance(span, path));
        } catch (OpTypeException e) {
            throw new ElabError(e.code(), span, e.getMessage());
        }
        x.ctx.countNodes(1, span);
        return out.stream().<Val>map(Val.Tensor::new).toList();
    }

    private Value inputOf(Decl.Block op, Decl.SigParam p, Val v, DType dtype, SourceSpan span, String path) {
        if (v instanceof Val.Absent a) throw absent(a, "input " + p.name() + " of " + op.name(), span);
        if (!(v instanceof Val.Tensor) && !CompileTimeOps.isNumber(v) && !(v instanceof Val.Bool)) {
            throw new ElabError(ErrorCode.E0207, span, "input " + p.name() + " of " + op.name() + " expects a tensor, got " + Val.describe(v));
        }
        return tensorOf(v, dtype, span, path);
    }

    /** A tensor value, or a compile-time scalar made into a rank-0 constant of {@code dtype}. */
    private Value tensorOf(Val v, DType dtype, SourceSpan span, String path) {
        if (v instanceof Val.Tensor t) return t.value();
        DType type = dtype != null ? dtype : v instanceof Val.Float ? DType.F32 : v instanceof Val.Bool ? DType.BOOL : DType.I64;
        double value = switch (v) {
            case Val.Bool b when type == DType.BOOL -> b.value() ? 1 : 0;
            case Val.Bool b -> throw new ElabError(ErrorCode.E0302, span, "cannot use the bool " + b.value() + " with a "
                    + type.sourceName() + " tensor");
            default -> CompileTimeOps.toDouble(v, span);
        };
        if (type == DType.BOOL && !(v instanceof Val.Bool)) {
            throw new ElabError(ErrorCode.E0302, span, "cannot use the number " + Val.show(v) + " with a bool tensor");
        }
        if (!type.isFloating() && type != DType.BOOL && value != Math.rint(value)) {
            throw new ElabError(ErrorCode.E0302, span, "cannot use the float " + Val.show(v) + " with a " + type.sourceName()
                    + " tensor; cast the tensor first");
        }
        Value c = x.ctx.builder().constant(Tensor.fromDoubles(type, new long[0], new double[] {value}), new Provenance(span, path));
        x.ctx.countNodes(1, span);
        return c;
    }

    private static DType firstTensorType(List<Val> values) {
        for (Val v : values) {
            if (v instanceof Val.Tensor t) return t.value().type().dtype();
            if (v instanceof Val.ListV l) {
                DType d = firstTensorType(l.elements());
                if (d != null) return d;
            }
        }
        return null;
    }

    static ElabError absent(Val.Absent a, String where, SourceSpan span) {
        return new ElabError(ErrorCode.E0207, span, a.name() + " is absent (its param's condition is false) and cannot be "
                + where + "; only an optional input (b?) accepts it");
    }
}
