package dev.lathe.lower;

import dev.lathe.ir.Dim;
import dev.lathe.ir.Node;
import dev.lathe.lower.Scalar.BinaryOp;
import dev.lathe.lower.Scalar.CompareOp;
import dev.lathe.lower.Scalar.UnaryOp;
import dev.lathe.runtime.DType;
import java.util.List;

/** Elementwise ops: one loop nest over the output shape each (fusion merges chains of them later). */
final class ElementwiseLowering {
    private ElementwiseLowering() {}

    static void unary(Lowerer l, Node.Unary n) {
        UnaryOp op = switch (n.kind()) {
            case NEG -> UnaryOp.NEG;
            case ABS -> UnaryOp.ABS;
            case EXP -> UnaryOp.EXP;
            case LOG -> UnaryOp.LOG;
            case SQRT -> UnaryOp.SQRT;
            case RSQRT -> UnaryOp.RSQRT;
            case ERF -> UnaryOp.ERF;
            case TANH -> UnaryOp.TANH;
            case SIGMOID -> UnaryOp.SIGMOID;
            case RELU -> UnaryOp.RELU;
            case SILU -> UnaryOp.SILU;
            case SOFTPLUS -> UnaryOp.SOFTPLUS;
        };
        List<Dim> shape = n.out().type().shape();
        l.elementwise(Lowerer.label(n), n.out(), new Scalar.Unary(op, l.broadcastLoad(n.x(), shape, 0), n.out().type().dtype()));
    }

    static void gelu(Lowerer l, Node.Gelu n) {
        List<Dim> shape = n.out().type().shape();
        l.elementwise(Lowerer.label(n), n.out(), new Scalar.Unary(n.tanhApproximation() ? UnaryOp.GELU_TANH : UnaryOp.GELU_ERF,
                l.broadcastLoad(n.x(), shape, 0), n.out().type().dtype()));
    }

    static void leakyRelu(Lowerer l, Node.LeakyRelu n) {
        List<Dim> shape = n.out().type().shape();
        l.elementwise(Lowerer.label(n), n.out(), new Scalar.Unary(UnaryOp.LEAKY_RELU, l.broadcastLoad(n.x(), shape, 0), n.alpha(), 0,
                n.out().type().dtype()));
    }

    static void clip(Lowerer l, Node.Clip n) {
        List<Dim> shape = n.out().type().shape();
        double lo = n.min() == null ? Double.NEGATIVE_INFINITY : n.min();
        double hi = n.max() == null ? Double.POSITIVE_INFINITY : n.max();
        l.elementwise(Lowerer.label(n), n.out(), new Scalar.Unary(UnaryOp.CLIP, l.broadcastLoad(n.x(), shape, 0), lo, hi, n.out().type().dtype()));
    }

    static void binary(Lowerer l, Node.Binary n) {
        BinaryOp op = switch (n.kind()) {
            case ADD -> BinaryOp.ADD;
            case SUB -> BinaryOp.SUB;
            case MUL -> BinaryOp.MUL;
            case DIV -> BinaryOp.DIV;
            case POW -> BinaryOp.POW;
            case MAX -> BinaryOp.MAX;
            case MIN -> BinaryOp.MIN;
        };
        List<Dim> shape = n.out().type().shape();
        l.elementwise(Lowerer.label(n), n.out(), new Scalar.Binary(op, l.broadcastLoad(n.a(), shape, 0), l.broadcastLoad(n.b(), shape, 0),
                n.out().type().dtype()));
    }

    static void compare(Lowerer l, Node.Compare n) {
        CompareOp op = switch (n.kind()) {
            case EQUAL -> CompareOp.EQ;
            case LESS -> CompareOp.LT;
            case GREATER -> CompareOp.GT;
        };
        List<Dim> shape = n.out().type().shape();
        l.elementwise(Lowerer.label(n), n.out(), new Scalar.Compare(op, l.broadcastLoad(n.a(), shape, 0), l.broadcastLoad(n.b(), shape, 0)));
    }

    static void where(Lowerer l, Node.Where n) {
        List<Dim> shape = n.out().type().shape();
        l.elementwise(Lowerer.label(n), n.out(), new Scalar.Select(l.broadcastLoad(n.cond(), shape, 0), l.broadcastLoad(n.a(), shape, 0),
                l.broadcastLoad(n.b(), shape, 0), n.out().type().dtype()));
    }

    static void cast(Lowerer l, Node.Cast n) {
        DType from = n.x().type().dtype();
        if (from == n.dtype()) {
            l.alias(n.out(), n.x());
            return;
        }
        List<Dim> shape = n.out().type().shape();
        l.elementwise(Lowerer.label(n), n.out(), new Scalar.Cast(l.broadcastLoad(n.x(), shape, 0), n.dtype()));
    }
}
