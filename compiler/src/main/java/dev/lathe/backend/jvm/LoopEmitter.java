package dev.lathe.backend.jvm;

import dev.lathe.backend.jvm.bytecode.Local;
import dev.lathe.backend.jvm.bytecode.MethodBuilder;
import dev.lathe.ir.Dim;
import dev.lathe.lower.Affine;
import dev.lathe.lower.Buffer;
import dev.lathe.lower.Kernel;
import dev.lathe.lower.Scalar;
import dev.lathe.runtime.DType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Emits one {@link Kernel.Loop} as nested counted loops. Indices are computed incrementally: for an
 * index {@code offset + sum c_v i_v} the partial sum through loop v is kept in a local set once per
 * iteration of loop v, and the innermost term is added where the index is used, so an elementwise
 * loop over one flat dim indexes every array with the bare induction variable (the form C2
 * vectorizes). Scalars follow {@link Scalar}'s rule: floating values are doubles on the stack,
 * rounded to their type after every op; integers are longs wrapped to their width; bools are ints.
 */
final class LoopEmitter implements Opcodes {
    private static final String SCALARS = "dev/lathe/runtime/model/Scalars";
    private static final String MATH = "java/lang/Math";

    private final MethodContext c;
    private final MethodBuilder m;
    private final Kernel.Loop loop;
    private final int outer;
    private final List<Dim> extents = new ArrayList<>();
    private final Local[] vars;
    /** Per index expression: the deepest level at which it is used. */
    private final Map<Affine, Integer> useLevel = new LinkedHashMap<>();
    /** Full values of indices used below the level of their last variable. */
    private final Map<Affine, Local> fulls = new LinkedHashMap<>();
    private Local acc;
    private Type accKind;

    LoopEmitter(MethodContext c, Kernel.Loop loop) {
        this.c = c;
        this.m = c.m;
        this.loop = loop;
        this.outer = loop.extents().size();
        extents.addAll(loop.extents());
        if (loop.reduction() != null) extents.addAll(loop.reduction().extents());
        vars = new Local[extents.size()];
    }

    void emit() {
        // Prologue: buffers, sizes, variables, constant parts of indices.
        c.declareBuffer(loop.out());
        for (int b : loop.reads()) c.declareBuffer(b);
        for (Dim d : extents) c.declareDim(d);
        int bodyLevel = outer - 1;
        int valueLevel = extents.size() - 1;
        use(loop.outIndex(), bodyLevel);
        collect(loop.body(), bodyLevel);
        if (loop.reduction() != null) {
            if (loop.reduction().init() != null) collect(loop.reduction().init(), bodyLevel);
            collect(loop.reduction().value(), valueLevel);
        }
        for (Affine a : useLevel.keySet()) {
            c.declareDim(a.offset());
            a.coefs().values().forEach(c::declareDim);
        }
        for (int v = 0; v < vars.length; v++) vars[v] = m.newLocal(Type.INT_TYPE);
        for (Map.Entry<Affine, Integer> e : useLevel.entrySet()) {
            Affine a = e.getKey();
            int last = lastVar(a);
            if (e.getValue() > last) fulls.put(a, m.newLocal(Type.INT_TYPE));
        }
        atLevel(-1);
        outerLoop(0);
    }

    // ---- index bookkeeping -----------------------------------------------------------------------

    private void use(Affine a, int level) {
        useLevel.merge(a, level, Math::max);
    }

    private void collect(Scalar s, int level) {
        Scalar.forEach(s, x -> {
            if (x instanceof Scalar.Load l) use(l.index(), level);
            if (x instanceof Scalar.Load l && l.gather() != null) {
                c.declareDim(l.gather().extent());
                c.declareDim(l.gather().stride());
            }
            if (x instanceof Scalar.Index i) use(i.index(), level);
        });
    }

    private static int lastVar(Affine a) {
        return a.coefs().isEmpty() ? -1 : a.coefs().lastKey();
    }

    /** Code at the top of loop level {@code d} (-1: the prologue): partial sums and full values that become known here. */
    private void atLevel(int d) {
        for (Affine a : useLevel.keySet()) {
            int last = lastVar(a);
            if (d < last && (d == -1 || !a.coef(d).isZero())) {
                // partial through d = partial through d-1 + c_d * i_d (through -1: the offset)
                if (d == -1 && a.offset().isZero()) continue;
                Local p = m.newLocal(Type.INT_TYPE);
                pushPartialTerm(a, d);
                m.store(p);
                setPartial(a, d, p);
            }
            Local full = fulls.get(a);
            if (full != null && d == last) {
                pushFull(a);
                m.store(full);
            }
        }
    }

    /** Partial sums: index -> level -> local holding offset + the terms of variables 0..level. */
    private final Map<Affine, Map<Integer, Local>> partialByLevel = new LinkedHashMap<>();

    private void setPartial(Affine a, int level, Local l) {
        partialByLevel.computeIfAbsent(a, k -> new LinkedHashMap<>()).put(level, l);
    }

    /** The local holding offset + terms of variables 0..level, or null when that sum is 0. */
    private Local partial(Affine a, int level) {
        Map<Integer, Local> byLevel = partialByLevel.get(a);
        for (int d = level; d >= -1; d--) {
            if (byLevel != null && byLevel.containsKey(d)) return byLevel.get(d);
            if (d >= 0 && !a.coef(d).isZero()) throw new IllegalStateException("partial index through " + d + " of " + a + " was not computed");
        }
        return null;
    }

    /** Pushes offset + terms 0..d of {@code a} (d = -1: the offset). */
    private void pushPartialTerm(Affine a, int d) {
        if (d == -1) {
            c.pushDim(a.offset());
            return;
        }
        Local before = partial(a, d - 1);
        pushTerm(a, d);
        if (before != null) {
            m.load(before);
            m.insn(IADD);
        }
    }

    private void pushTerm(Affine a, int v) {
        m.load(vars[v]);
        Dim coef = a.coef(v);
        if (!(coef.isConstant() && coef.constant().getAsLong() == 1)) {
            c.pushDim(coef);
            m.insn(IMUL);
        }
    }

    /** Pushes the whole index, inline: partial through its last variable's predecessor plus the last term. */
    private void pushFull(Affine a) {
        int last = lastVar(a);
        if (last < 0) {
            c.pushDim(a.offset());
            return;
        }
        Local before = partial(a, last - 1);
        pushTerm(a, last);
        if (before != null) {
            m.load(before);
            m.insn(IADD);
        }
    }

    /** Pushes index {@code a} as an int at its use. */
    private void pushIndex(Affine a) {
        Local full = fulls.get(a);
        if (full != null) m.load(full);
        else pushFull(a);
    }

    // ---- loops -----------------------------------------------------------------------------------

    private void outerLoop(int d) {
        if (d == outer) {
            point();
            return;
        }
        m.forLoop(vars[d], () -> c.pushDim(extents.get(d)), () -> {
            atLevel(d);
            outerLoop(d + 1);
        });
    }

    private void point() {
        Kernel.Reduction r = loop.reduction();
        if (r != null) reduction(r);
        Buffer out = c.program.buffer(loop.out());
        c.pushBuffer(loop.out());
        pushIndex(loop.outIndex());
        Type kind = scalar(loop.body());
        castTo(kind, out.dtype());
        storeElement(out);
    }

    private void reduction(Kernel.Reduction r) {
        Type valueKind = kind(r.value().type());
        if (r.op() == Kernel.ReduceOp.ARGMAX) {
            argmax(r, valueKind);
            return;
        }
        accKind = valueKind;
        acc = m.newLocal(accKind);
        if (r.init() != null) {
            coerce(scalar(r.init()), accKind);
        } else if (accKind == Type.DOUBLE_TYPE) {
            m.dconst(switch (r.op()) {
                case SUM -> 0.0;
                case MAX -> Double.NEGATIVE_INFINITY;
                default -> Double.POSITIVE_INFINITY;
            });
        } else {
            m.lconst(switch (r.op()) {
                case SUM -> 0L;
                case MAX -> Long.MIN_VALUE;
                default -> Long.MAX_VALUE;
            });
        }
        m.store(acc);
        reduceLoop(outer, () -> {
            m.load(acc);
            coerce(scalar(r.value()), accKind);
            String d = accKind.getDescriptor();
            switch (r.op()) {
                case SUM -> m.arith(IADD, accKind);
                case MAX -> m.invokeStatic(MATH, "max", "(" + d + d + ")" + d);
                case MIN -> m.invokeStatic(MATH, "min", "(" + d + d + ")" + d);
                default -> throw new AssertionError();
            }
            m.store(acc);
        });
    }

    private void reduceLoop(int d, Runnable innermost) {
        if (d == extents.size()) {
            innermost.run();
            return;
        }
        m.forLoop(vars[d], () -> c.pushDim(extents.get(d)), () -> {
            atLevel(d);
            reduceLoop(d + 1, innermost);
        });
    }

    /** First index of the largest value (NaN largest), as the interpreter's argmax. */
    private void argmax(Kernel.Reduction r, Type valueKind) {
        Local bestIndex = m.newLocal(Type.INT_TYPE);
        Local best = m.newLocal(valueKind);
        Local v = m.newLocal(valueKind);
        m.iconst(-1);
        m.store(bestIndex);
        zero(valueKind);
        m.store(best);
        reduceLoop(outer, () -> {
            coerce(scalar(r.value()), valueKind);
            m.store(v);
            Label take = new Label();
            Label skip = new Label();
            m.load(bestIndex);
            m.raw().visitJumpInsn(IFLT, take);
            m.load(v);
            m.load(best);
            if (valueKind == Type.DOUBLE_TYPE) {
                m.invokeStatic(SCALARS, "argmaxBetter", "(DD)Z");
                m.raw().visitJumpInsn(IFNE, take);
            } else if (valueKind == Type.LONG_TYPE) {
                m.insn(LCMP);
                m.raw().visitJumpInsn(IFGT, take);
            } else {
                m.raw().visitJumpInsn(IF_ICMPGT, take);
            }
            m.raw().visitJumpInsn(GOTO, skip);
            m.raw().visitLabel(take);
            m.load(v);
            m.store(best);
            m.load(vars[outer]);
            m.store(bestIndex);
            m.raw().visitLabel(skip);
        });
        acc = m.newLocal(Type.LONG_TYPE);
        accKind = Type.LONG_TYPE;
        m.load(bestIndex);
        m.insn(I2L);
        m.store(acc);
    }

    // ---- scalars ---------------------------------------------------------------------------------

    /** How values of a dtype travel on the stack: double (floating), long (integers), int (bool). */
    static Type kind(DType t) {
        if (t.isFloating()) return Type.DOUBLE_TYPE;
        if (t == DType.BOOL) return Type.INT_TYPE;
        return Type.LONG_TYPE;
    }

    private void zero(Type kind) {
        if (kind == Type.DOUBLE_TYPE) m.dconst(0);
        else if (kind == Type.LONG_TYPE) m.lconst(0);
        else m.iconst(0);
    }

    /** Emits {@code s}; returns the kind it left on the stack. */
    private Type scalar(Scalar s) {
        return switch (s) {
            case Scalar.Load l -> load(l);
            case Scalar.Const k -> {
                Type kind = kind(k.type());
                if (kind == Type.DOUBLE_TYPE) m.dconst(k.value());
                else if (kind == Type.LONG_TYPE) m.lconst((long) k.value());
                else m.iconst(k.value() != 0 ? 1 : 0);
                yield kind;
            }
            case Scalar.Index i -> {
                pushIndex(i.index());
                m.insn(I2L);
                yield Type.LONG_TYPE;
            }
            case Scalar.Acc a -> {
                if (acc == null) throw new IllegalStateException("acc outside a reduction");
                m.load(acc);
                yield accKind;
            }
            case Scalar.Unary u -> unary(u);
            case Scalar.Binary b -> binary(b);
            case Scalar.Compare cmp -> compare(cmp);
            case Scalar.Select x -> {
                Type kind = kind(x.type());
                coerce(scalar(x.cond()), Type.INT_TYPE);
                m.ifElse(() -> coerce(scalar(x.a()), kind), () -> coerce(scalar(x.b()), kind));
                round(x.type());
                yield kind;
            }
            case Scalar.Cast x -> {
                castTo(scalar(x.x()), x.type());
                yield kind(x.type());
            }
        };
    }

    private Type load(Scalar.Load l) {
        Buffer b = c.program.buffer(l.buffer());
        c.pushBuffer(l.buffer());
        pushIndex(l.index());
        if (l.gather() != null) {
            Scalar.Gather g = l.gather();
            coerce(scalar(g.index()), Type.LONG_TYPE);
            c.pushDim(g.extent());
            m.iconst(g.negative() ? 1 : 0);
            m.sconst(g.op());
            m.invokeStatic(SCALARS, "index", "(JIZLjava/lang/String;)I");
            Dim stride = g.stride();
            if (!(stride.isConstant() && stride.constant().getAsLong() == 1)) {
                c.pushDim(stride);
                m.insn(IMUL);
            }
            m.insn(IADD);
        }
        Type element = MethodContext.elementType(b);
        m.arrayLoad(element);
        return switch (element.getSort()) {
            case Type.FLOAT -> {
                m.insn(F2D);
                yield Type.DOUBLE_TYPE;
            }
            case Type.DOUBLE -> Type.DOUBLE_TYPE;
            case Type.LONG -> Type.LONG_TYPE;
            default -> Type.INT_TYPE;
        };
    }

    private Type unary(Scalar.Unary u) {
        Type kind = kind(u.type());
        if (u.op() == Scalar.UnaryOp.NOT) {
            coerce(scalar(u.x()), Type.INT_TYPE);
            m.iconst(1);
            m.insn(IXOR);
            return Type.INT_TYPE;
        }
        if (kind == Type.LONG_TYPE && (u.op() == Scalar.UnaryOp.NEG || u.op() == Scalar.UnaryOp.ABS || u.op() == Scalar.UnaryOp.RELU)) {
            coerce(scalar(u.x()), Type.LONG_TYPE);
            switch (u.op()) {
                case NEG -> m.insn(LNEG);
                case ABS -> m.invokeStatic(MATH, "abs", "(J)J");
                default -> {
                    m.lconst(0);
                    m.invokeStatic(MATH, "max", "(JJ)J");
                }
            }
            wrap(u.type());
            return kind;
        }
        // Everything else in double; an integer result truncates (as the interpreter's fallback does).
        coerce(scalar(u.x()), Type.DOUBLE_TYPE);
        switch (u.op()) {
            case NEG -> m.insn(DNEG);
            case ABS -> m.invokeStatic(MATH, "abs", "(D)D");
            case EXP -> m.invokeStatic(MATH, "exp", "(D)D");
            case LOG -> m.invokeStatic(MATH, "log", "(D)D");
            case SQRT -> m.invokeStatic(MATH, "sqrt", "(D)D");
            case TANH -> m.invokeStatic(MATH, "tanh", "(D)D");
            case RSQRT -> m.invokeStatic(SCALARS, "rsqrt", "(D)D");
            case ERF -> m.invokeStatic(SCALARS, "erf", "(D)D");
            case SIGMOID -> m.invokeStatic(SCALARS, "sigmoid", "(D)D");
            case RELU -> m.invokeStatic(SCALARS, "relu", "(D)D");
            case SILU -> m.invokeStatic(SCALARS, "silu", "(D)D");
            case SOFTPLUS -> m.invokeStatic(SCALARS, "softplus", "(D)D");
            case GELU_ERF -> m.invokeStatic(SCALARS, "geluErf", "(D)D");
            case GELU_TANH -> m.invokeStatic(SCALARS, "geluTanh", "(D)D");
            case LEAKY_RELU -> {
                m.dconst(u.p1());
                m.invokeStatic(SCALARS, "leakyRelu", "(DD)D");
            }
            case CLIP -> {
                m.dconst(u.p1());
                m.dconst(u.p2());
                m.invokeStatic(SCALARS, "clip", "(DDD)D");
            }
            case NOT -> throw new AssertionError();
        }
        castTo(Type.DOUBLE_TYPE, u.type());
        return kind;
    }

    private Type binary(Scalar.Binary b) {
        Type kind = kind(b.type());
        if (b.op() == Scalar.BinaryOp.AND) {
            coerce(scalar(b.a()), Type.INT_TYPE);
            coerce(scalar(b.b()), Type.INT_TYPE);
            m.insn(IAND);
            return Type.INT_TYPE;
        }
        Type compute = kind == Type.INT_TYPE ? Type.LONG_TYPE : kind;
        coerce(scalar(b.a()), compute);
        coerce(scalar(b.b()), compute);
        String d = compute.getDescriptor();
        String dd = "(" + d + d + ")" + d;
        switch (b.op()) {
            case ADD -> m.arith(IADD, compute);
            case SUB -> m.arith(ISUB, compute);
            case MUL -> m.arith(IMUL, compute);
            case DIV -> {
                if (compute == Type.DOUBLE_TYPE) m.insn(DDIV);
                else m.invokeStatic(SCALARS, "div", dd);
            }
            case POW -> m.invokeStatic(compute == Type.DOUBLE_TYPE ? MATH : SCALARS, "pow", dd);
            case MAX -> m.invokeStatic(MATH, "max", dd);
            case MIN -> m.invokeStatic(MATH, "min", dd);
            case AND -> throw new AssertionError();
        }
        castTo(compute, b.type());
        return kind;
    }

    private Type compare(Scalar.Compare cmp) {
        Type ka = kind(cmp.a().type()), kb = kind(cmp.b().type());
        Type compute = ka == Type.DOUBLE_TYPE || kb == Type.DOUBLE_TYPE ? Type.DOUBLE_TYPE : Type.LONG_TYPE;
        coerce(scalar(cmp.a()), compute);
        coerce(scalar(cmp.b()), compute);
        // NaN: DCMPG gives 1 and DCMPL -1, chosen so that every ordered comparison with NaN is false.
        Scalar.CompareOp op = cmp.op();
        if (compute == Type.DOUBLE_TYPE) m.insn(op == Scalar.CompareOp.LT || op == Scalar.CompareOp.LE ? DCMPG : DCMPL);
        else m.insn(LCMP);
        m.compareToBoolean(switch (op) {
            case EQ -> IFEQ;
            case NE -> IFNE;
            case LT -> IFLT;
            case LE -> IFLE;
            case GT -> IFGT;
            case GE -> IFGE;
        });
        return Type.INT_TYPE;
    }

    /** Converts between kinds (bool from a number is {@code != 0}). */
    private void coerce(Type from, Type to) {
        if (from.equals(to)) return;
        if (to == Type.INT_TYPE) {
            if (from == Type.DOUBLE_TYPE) {
                m.dconst(0);
                m.insn(DCMPL);
            } else {
                m.lconst(0);
                m.insn(LCMP);
            }
            m.compareToBoolean(IFNE);
            return;
        }
        m.convert(from, to);
    }

    /** Converts a value of kind {@code from} to dtype {@code to}, rounding or wrapping as a cast does. */
    private void castTo(Type from, DType to) {
        Type kind = kind(to);
        coerce(from, kind);
        if (kind == Type.DOUBLE_TYPE) round(to);
        else if (kind == Type.LONG_TYPE) wrap(to);
    }

    /** Rounds the double on the stack to a float dtype (no-op for f64 and non-float types). */
    private void round(DType t) {
        switch (t) {
            case F32 -> {
                m.insn(D2F);
                m.insn(F2D);
            }
            case F16 -> m.invokeStatic(SCALARS, "roundF16", "(D)D");
            case BF16 -> m.invokeStatic(SCALARS, "roundBf16", "(D)D");
            default -> { }
        }
        if (t.isInteger()) wrap(t);
    }

    /** Wraps the long on the stack to an integer dtype's width (two's complement). */
    private void wrap(DType t) {
        switch (t) {
            case I32 -> {
                m.insn(L2I);
                m.insn(I2L);
            }
            case I8 -> {
                m.insn(L2I);
                m.insn(I2B);
                m.insn(I2L);
            }
            case U8 -> {
                m.lconst(0xFF);
                m.insn(LAND);
            }
            case I4 -> {
                m.iconst(60);
                m.insn(LSHL);
                m.iconst(60);
                m.insn(LSHR);
            }
            case U4 -> {
                m.lconst(0xF);
                m.insn(LAND);
            }
            default -> { }
        }
    }

    private void storeElement(Buffer out) {
        Type element = MethodContext.elementType(out);
        if (element.getSort() == Type.FLOAT) m.insn(D2F);
        m.arrayStore(element);
    }
}
