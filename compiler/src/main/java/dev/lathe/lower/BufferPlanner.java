package dev.lathe.lower;

import dev.lathe.runtime.DType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * Plans buffers: drops those no kernel uses any more (fused away), then gives every intermediate a
 * pooled slot by liveness. A buffer lives from the first kernel that writes it to the last that reads
 * it; a slot is reused only by a buffer first written strictly after the previous tenant's last read,
 * so no kernel ever reads and writes the same array (kernels need not support in-place). A slot holds
 * one storage type and grows to the largest tenant at run time; tenants of equal symbolic size are
 * preferred.
 */
final class BufferPlanner {
    private BufferPlanner() {}

    static KernelProgram plan(KernelProgram p, boolean reuse) {
        p = compact(p);
        int n = p.buffers().size();
        int[] first = new int[n];
        int[] last = new int[n];
        java.util.Arrays.fill(first, -1);
        for (int i = 0; i < p.kernels().size(); i++) {
            Kernel k = p.kernels().get(i);
            for (int b : k.writes()) {
                if (first[b] < 0) first[b] = i;
                last[b] = Math.max(last[b], i);
            }
            for (int b : k.reads()) last[b] = Math.max(last[b], i);
        }
        List<Buffer> buffers = new ArrayList<>(p.buffers());
        List<DType.Storage> slotStorage = new ArrayList<>();
        List<dev.lathe.ir.Dim> slotSize = new ArrayList<>();
        Set<Integer> free = new LinkedHashSet<>();
        Map<Integer, Integer> slotOf = new HashMap<>();
        for (int i = 0; i < p.kernels().size(); i++) {
            // Release the slots of buffers whose last use was before this kernel.
            for (var e : new ArrayList<>(slotOf.entrySet())) {
                if (last[e.getKey()] < i) {
                    free.add(e.getValue());
                    slotOf.remove(e.getKey());
                }
            }
            for (int b : p.kernels().get(i).writes()) {
                Buffer buf = buffers.get(b);
                if (buf.kind() != Buffer.Kind.TEMP || buf.slot() >= 0 || first[b] != i) continue;
                DType.Storage storage = buf.dtype().storage();
                int slot = -1;
                if (reuse) {
                    for (int s : free) {
                        if (slotStorage.get(s) == storage && (slot < 0 || slotSize.get(s).equals(buf.size()))) slot = s;
                        if (slot >= 0 && slotSize.get(slot).equals(buf.size())) break;
                    }
                }
                if (slot < 0) {
                    slot = slotStorage.size();
                    slotStorage.add(storage);
                    slotSize.add(buf.size());
                } else {
                    free.remove(slot);
                }
                slotOf.put(b, slot);
                buffers.set(b, buf.withSlot(slot));
            }
        }
        for (Buffer b : buffers) {
            if (b.kind() == Buffer.Kind.TEMP && b.slot() < 0) throw new IllegalStateException("buffer " + b.id() + " is read but never written");
        }
        return p.withBuffers(buffers);
    }

    /** Drops buffers that no kernel, input or output refers to, renumbering the rest. */
    static KernelProgram compact(KernelProgram p) {
        Set<Integer> used = new java.util.TreeSet<>();
        for (Kernel k : p.kernels()) {
            used.addAll(k.reads());
            used.addAll(k.writes());
        }
        for (KernelProgram.Io io : p.inputs()) used.add(io.buffer());
        for (KernelProgram.Io io : p.outputs()) used.add(io.buffer());
        int[] map = new int[p.buffers().size()];
        java.util.Arrays.fill(map, -1);
        List<Buffer> buffers = new ArrayList<>();
        for (int b : used) {
            map[b] = buffers.size();
            buffers.add(p.buffer(b).withId(buffers.size()));
        }
        IntUnaryOperator f = b -> b < 0 ? b : map[b];
        List<Kernel> kernels = p.kernels().stream().map(k -> remap(k, f)).toList();
        List<KernelProgram.Io> inputs = p.inputs().stream().map(io -> new KernelProgram.Io(io.name(), io.dtype(), io.shape(), f.applyAsInt(io.buffer()))).toList();
        List<KernelProgram.Io> outputs = p.outputs().stream().map(io -> new KernelProgram.Io(io.name(), io.dtype(), io.shape(), f.applyAsInt(io.buffer()))).toList();
        Map<String, dev.lathe.runtime.Tensor> weights = new java.util.LinkedHashMap<>();
        for (Buffer b : buffers) {
            if (b.kind() == Buffer.Kind.WEIGHT) weights.put(b.name(), p.weights().get(b.name()));
        }
        return new KernelProgram(p.graphName(), buffers, kernels, inputs, outputs, p.dims(), weights);
    }

    static Kernel remap(Kernel k, IntUnaryOperator f) {
        return switch (k) {
            case Kernel.Loop l -> {
                java.util.function.UnaryOperator<Scalar> g = s -> s instanceof Scalar.Load ld
                        ? new Scalar.Load(f.applyAsInt(ld.buffer()), ld.index(), ld.gather(), ld.type()) : s;
                Kernel.Reduction r = l.reduction();
                Kernel.Reduction nr = r == null ? null
                        : new Kernel.Reduction(r.op(), r.extents(), Scalar.rewrite(r.value(), g), r.init() == null ? null : Scalar.rewrite(r.init(), g));
                yield new Kernel.Loop(l.label(), f.applyAsInt(l.out()), l.outIndex(), l.extents(), nr, Scalar.rewrite(l.body(), g));
            }
            case Kernel.Gemm g -> new Kernel.Gemm(g.label(), g.m(), g.n(), g.k(), f.applyAsInt(g.a()), g.aOff(), g.lda(), f.applyAsInt(g.b()), g.packed(),
                    g.transB(), g.bOff(), g.ldb(), f.applyAsInt(g.c()), g.cOff(), g.ldc(), f.applyAsInt(g.bias()), g.activation(), f.applyAsInt(g.residual()));
            case Kernel.BatchedMatMul b -> new Kernel.BatchedMatMul(b.label(), b.batch(), b.m(), b.n(), b.k(), f.applyAsInt(b.a()), b.strideA(),
                    f.applyAsInt(b.b()), b.strideB(), f.applyAsInt(b.c()));
            case Kernel.Conv c -> new Kernel.Conv(c.label(), f.applyAsInt(c.x()), c.batch(), c.cin(), c.h(), c.w(), f.applyAsInt(c.weight()), c.cout(), c.kh(),
                    c.kw(), f.applyAsInt(c.bias()), c.stride(), c.pads(), c.dilation(), c.groups(), c.activation(), f.applyAsInt(c.out()));
            case Kernel.Rows r -> new Kernel.Rows(r.label(), r.op(), f.applyAsInt(r.x()), r.rows(), r.cols(), f.applyAsInt(r.weight()), f.applyAsInt(r.bias()),
                    r.eps(), f.applyAsInt(r.out()));
            case Kernel.Attention a -> new Kernel.Attention(a.label(), f.applyAsInt(a.q()), f.applyAsInt(a.k()), f.applyAsInt(a.v()), a.batch(), a.sq(), a.sk(),
                    a.heads(), a.dh(), a.dv(), a.scale(), a.causal(), f.applyAsInt(a.mask()), a.additiveMask(), a.maskStrides(), f.applyAsInt(a.out()));
            case Kernel.QuantGemm q -> new Kernel.QuantGemm(q.label(), q.m(), q.n(), q.k(), f.applyAsInt(q.a()), f.applyAsInt(q.q()), f.applyAsInt(q.scales()),
                    f.applyAsInt(q.zeros()), q.bits(), q.signed(), q.group(), q.perRow(), q.dynamic(), f.applyAsInt(q.bias()), f.applyAsInt(q.c()));
            case Kernel.LinearAttention a -> new Kernel.LinearAttention(a.label(), f.applyAsInt(a.q()), f.applyAsInt(a.k()), f.applyAsInt(a.v()), a.batch(),
                    a.sq(), a.sk(), a.heads(), a.dh(), a.dv(), a.method(), a.size(), a.seed(), a.causal(), a.scale(), f.applyAsInt(a.out()));
            case Kernel.SparseGemm g -> new Kernel.SparseGemm(g.label(), g.m(), g.out(), g.in(), g.blockRows(), g.blockCols(), f.applyAsInt(g.x()),
                    f.applyAsInt(g.values()), f.applyAsInt(g.indices()), f.applyAsInt(g.pointers()), f.applyAsInt(g.bias()), f.applyAsInt(g.dense()),
                    g.denseFromRows(), g.activation(), f.applyAsInt(g.y()));
        };
    }
}
