package dev.lathe.ir;

import static dev.lathe.ir.IrFixtures.B;
import static dev.lathe.ir.IrFixtures.P;
import static dev.lathe.ir.IrFixtures.f32;
import static dev.lathe.ir.IrFixtures.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Node constructors run the typing rule, so an ill-typed node cannot be made even by a pass. */
class NodeTest {
    private final Value a = new Value(0, f32(B, 4), "a");
    private final Value b = new Value(1, f32(4), "b");

    @Test
    void wellTypedNodeIsAccepted() {
        Node.Binary n = new Node.Binary(Node.BinaryKind.ADD, a, b, new Value(2, f32(B, 4), ""), P);
        assertEquals(List.of(a, b), n.inputs());
        assertEquals("add", n.opName());
    }

    @Test
    void wrongOutputTypeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Node.Binary(Node.BinaryKind.ADD, a, b, new Value(2, f32(B, 5), ""), P));
        assertEquals("ill-typed binary node: outputs [f32[B, 5]], typing rule gives [f32[B, 4]]", e.getMessage());
    }

    @Test
    void illTypedInputsAreRejected() {
        Value i = new Value(3, type(DType.I64, 4), "i");
        assertThrows(IllegalArgumentException.class, () -> new Node.Binary(Node.BinaryKind.ADD, a, i, new Value(4, f32(B, 4), ""), P));
        assertThrows(IllegalArgumentException.class, () -> new Node.Unary(Node.UnaryKind.EXP, i, new Value(4, type(DType.I64, 4), ""), P));
    }

    @Test
    void unnormalizedAttributesAreRejected() {
        // The builder stores non-negative axes; a node with -1 would mean something else to a backend.
        assertThrows(IllegalArgumentException.class, () -> new Node.Softmax(a, -1, false, new Value(2, f32(B, 4), ""), P));
        assertThrows(IllegalArgumentException.class, () -> new Node.Reduce(Node.ReduceKind.SUM, a, List.of(1, 0), false, new Value(2, f32(), ""), P));
        assertThrows(IllegalArgumentException.class, () -> new Node.Reshape(a, List.of(Dim.of(-1)), new Value(2, f32(B.times(4)), ""), P));
    }

    @Test
    void missingFieldsAreRejected() {
        assertThrows(NullPointerException.class, () -> new Node.Binary(Node.BinaryKind.ADD, a, b, new Value(2, f32(B, 4), ""), null));
        assertThrows(NullPointerException.class, () -> new Node.MatMul(a, null, new Value(2, f32(B, 4), ""), P));
    }

    @Test
    void splitChecksEveryOutput() {
        Value x = new Value(0, f32(B, 6), "x");
        List<Dim> sizes = List.of(Dim.of(2), Dim.of(4));
        new Node.Split(x, sizes, 1, List.of(new Value(1, f32(B, 2), ""), new Value(2, f32(B, 4), "")), P);
        assertThrows(IllegalArgumentException.class,
                () -> new Node.Split(x, sizes, 1, List.of(new Value(1, f32(B, 2), ""), new Value(2, f32(B, 2), "")), P));
        assertThrows(IllegalArgumentException.class, () -> new Node.Split(x, sizes, 1, List.of(new Value(1, f32(B, 2), "")), P));
    }

    @Test
    void constantTypeIsTheTensorsType() {
        Tensor t = Tensor.ofLongs(DType.I64, new long[] {2}, new long[] {3, 4});
        new Node.Constant(t, new Value(0, type(DType.I64, 2), ""), P);
        assertThrows(IllegalArgumentException.class, () -> new Node.Constant(t, new Value(0, type(DType.I32, 2), ""), P));
    }
}
