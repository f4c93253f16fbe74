package dev.lathe.gpu;

import static org.jocl.CL.*;

import dev.lathe.ir.Dim;
import dev.lathe.lower.Buffer;
import dev.lathe.lower.Kernel;
import dev.lathe.lower.KernelProgram;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.model.ModelRunException;
import dev.lathe.runtime.model.WeightPacking;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_event;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;

/**
 * A {@link KernelProgram} running on an OpenCL device through JOCL. Weights are uploaded once at
 * construction; the program is rendered and built once per distinct binding of the named dims, with
 * its scratch and I/O buffers, and reused by every later call with the same shapes. One in-order
 * command queue with profiling: {@link #lastProfile()} gives each kernel's device time of the last run.
 * Not thread-safe (calls are serialized).
 */
public final class OpenClModel implements AutoCloseable {
    /** Device time of one kernel launch of the last {@link #run}. */
    public record KernelTime(String label, long nanos) {}

    private final KernelProgram program;
    private final OpenClDevice device;
    private final cl_command_queue queue;
    private final Map<Integer, cl_mem> weights = new HashMap<>();
    private final Map<Integer, cl_mem> transposed = new HashMap<>();
    private final Map<Map<String, Long>, Specialized> cache = new HashMap<>();
    private List<KernelTime> lastProfile = List.of();

    /** One rendered and built program for one binding of the dims; {@code errors} (null when no kernel can fail) holds a run-time error's code and value. */
    private record Specialized(cl_program program, List<cl_kernel> kernels, List<OpenClRenderer.Launch> launches, Map<Integer, cl_mem> mems,
                               List<cl_mem> owned, Map<String, Long> env, cl_mem errors, List<String> errorMessages, List<cl_mem> scratch) {}

    /** Checks the program renders (else {@link dev.lathe.lower.UnsupportedOpException}), then uploads its weights. */
    public OpenClModel(KernelProgram program, OpenClDevice device) {
        OpenClRenderer.check(program, device.info().fp64());
        this.program = program;
        this.device = device;
        this.queue = device.newQueue();
        for (Buffer b : program.buffers()) {
            if (b.kind() != Buffer.Kind.WEIGHT) continue;
            Tensor t = program.weights().get(b.name());
            if (t == null) throw new IllegalStateException("no data for weight '" + b.name() + "'");
            if (DeviceArrays.of(b) != DeviceArrays.Element.FLOAT || b.dtype() != DType.F32) {
                weights.put(b.id(), device.upload(DeviceArrays.of(t, DeviceArrays.of(b))));
                continue;
            }
            float[] data = t.toFloatArray();
            weights.put(b.id(), device.upload(data));
            if (b.packing().equals(WeightPacking.GEMM_TRANSPOSED) && usedPackedByGemm(b.id())) {
                int rows = (int) t.dim(0), cols = (int) t.dim(1);
                float[] tr = new float[data.length];
                for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) tr[j * rows + i] = data[i * cols + j];
                transposed.put(b.id(), device.upload(tr));
            }
        }
    }

    private boolean usedPackedByGemm(int id) {
        for (Kernel k : program.kernels()) if (k instanceof Kernel.Gemm g && g.packed() && g.b() == id) return true;
        return false;
    }

    public KernelProgram program() {
        return program;
    }

    public OpenClDevice device() {
        return device;
    }

    /**
     * Runs the model: inputs by name, outputs by name. A run-time error of the model (a gather index out
     * of range, an integer division by zero) is a {@link ModelRunException} with the runtime's message.
     */
    public synchronized Map<String, Tensor> run(Map<String, Tensor> inputs) {
        Map<String, Long> env = bind(inputs);
        Specialized s = cache.computeIfAbsent(env, this::specialize);
        try {
            for (KernelProgram.Io io : program.inputs()) {
                Tensor t = inputs.get(io.name());
                if (t.size() == 0) continue;
                DeviceArrays.HostArray data = DeviceArrays.of(t, io.dtype());
                clEnqueueWriteBuffer(queue, s.mems.get(io.buffer()), CL_TRUE, 0, data.bytes(), data.pointer(), 0, null, null);
            }
            if (s.errors != null) clEnqueueWriteBuffer(queue, s.errors, CL_TRUE, 0, 2L * Sizeof.cl_long, Pointer.to(new long[2]), 0, null, null);
            List<cl_event> events = new ArrayList<>();
            for (int i = 0; i < s.launches.size(); i++) {
                OpenClRenderer.Launch l = s.launches.get(i);
                cl_kernel k = s.kernels.get(i);
                for (int a = 0; a < l.args().size(); a++) {
                    int id = l.args().get(a);
                    int scratch = OpenClRenderer.scratchIndex(id);
                    cl_mem mem = id == OpenClRenderer.ERRORS ? s.errors : scratch >= 0 ? s.scratch.get(scratch) : id <= -2 ? transposed.get(-2 - id) : s.mems.get(id);
                    clSetKernelArg(k, a, Sizeof.cl_mem, Pointer.to(mem));
                }
                cl_event ev = new cl_event();
                clEnqueueNDRangeKernel(queue, k, l.global().length, null, l.global(), null, 0, null, ev);
                events.add(ev);
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (KernelProgram.Io io : program.outputs()) {
                long[] shape = io.shape().stream().mapToLong(d -> d.evaluate(env)).toArray();
                int size = Math.toIntExact(Tensor.checkedSize(shape));
                DeviceArrays.HostArray data = DeviceArrays.allocate(io.dtype(), size);
                if (size > 0) clEnqueueReadBuffer(queue, s.mems.get(io.buffer()), CL_TRUE, 0, data.bytes(), data.pointer(), 0, null, null);
                out.put(io.name(), DeviceArrays.toTensor(io.dtype(), shape, data));
            }
            clFinish(queue);
            List<KernelTime> prof = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                long[] t0 = new long[1], t1 = new long[1];
                clGetEventProfilingInfo(events.get(i), CL_PROFILING_COMMAND_START, Sizeof.cl_ulong, Pointer.to(t0), null);
                clGetEventProfilingInfo(events.get(i), CL_PROFILING_COMMAND_END, Sizeof.cl_ulong, Pointer.to(t1), null);
                prof.add(new KernelTime(s.launches.get(i).label(), t1[0] - t0[0]));
                clReleaseEvent(events.get(i));
            }
            lastProfile = List.copyOf(prof);
            if (s.errors != null) {
                long[] err = new long[2];
                clEnqueueReadBuffer(queue, s.errors, CL_TRUE, 0, 2L * Sizeof.cl_long, Pointer.to(err), 0, null, null);
                if (err[0] != 0) throw new ModelRunException(String.format(java.util.Locale.ROOT, s.errorMessages.get((int) err[0] - 1), err[1]));
            }
            return out;
        } catch (CLException e) {
            throw new OpenClException("OpenCL error while running '" + program.graphName() + "' on " + device.name() + ": " + e.getMessage(), e);
        }
    }

    /** Device time per kernel launch of the last run. */
    public List<KernelTime> lastProfile() {
        return lastProfile;
    }

    /** The OpenCL C source for inputs of these shapes. */
    public String source(Map<String, Tensor> inputs) {
        return OpenClRenderer.render(program, bind(inputs), device.info().fp64()).source();
    }

    private Map<String, Long> bind(Map<String, Tensor> inputs) {
        Map<String, Long> env = new HashMap<>();
        for (KernelProgram.Io io : program.inputs()) {
            Tensor t = inputs.get(io.name());
            if (t == null) throw new IllegalArgumentException("missing input '" + io.name() + "'");
            if (t.dtype() != io.dtype()) {
                throw new IllegalArgumentException("input '" + io.name() + "' must be " + io.dtype().sourceName() + ", got " + t.dtype().sourceName());
            }
            if (t.rank() != io.shape().size()) throw new IllegalArgumentException("input '" + io.name() + "' has rank " + t.rank() + ", expected " + io.shape().size());
            for (int d = 0; d < t.rank(); d++) {
                Dim dim = io.shape().get(d);
                if (dim.isVariable()) {
                    Long prev = env.putIfAbsent(dim.variableName(), t.dim(d));
                    if (prev != null && prev != t.dim(d)) {
                        throw new IllegalArgumentException("input '" + io.name() + "' dim " + d + " is " + t.dim(d) + " but " + dim + " = " + prev);
                    }
                }
            }
        }
        for (KernelProgram.Io io : program.inputs()) {
            Tensor t = inputs.get(io.name());
            for (int d = 0; d < t.rank(); d++) {
                long want = io.shape().get(d).evaluate(env);
                if (want != t.dim(d)) throw new IllegalArgumentException("input '" + io.name() + "' dim " + d + " is " + t.dim(d) + ", expected " + want);
            }
        }
        return Map.copyOf(env);
    }

    private Specialized specialize(Map<String, Long> env) {
        OpenClRenderer.Rendered r = OpenClRenderer.render(program, env, device.info().fp64());
        cl_program prog = device.build(r.source());
        List<cl_kernel> kernels = new ArrayList<>();
        for (OpenClRenderer.Launch l : r.launches()) kernels.add(clCreateKernel(prog, l.name(), null));
        Map<Integer, cl_mem> mems = new HashMap<>(weights);
        List<cl_mem> owned = new ArrayList<>();
        Map<Integer, Long> slotSize = new HashMap<>();
        for (Buffer b : program.buffers()) {
            if (b.kind() == Buffer.Kind.TEMP && b.slot() >= 0) slotSize.merge(b.slot(), bytes(b, env), Math::max);
        }
        Map<Integer, cl_mem> slots = new HashMap<>();
        for (Buffer b : program.buffers()) {
            if (b.kind() == Buffer.Kind.WEIGHT) continue;
            long n = bytes(b, env);
            if (b.kind() == Buffer.Kind.TEMP && b.slot() >= 0) {
                cl_mem m = slots.get(b.slot());
                if (m == null) {
                    m = device.allocate(slotSize.get(b.slot()));
                    slots.put(b.slot(), m);
                    owned.add(m);
                }
                mems.put(b.id(), m);
            } else {
                cl_mem m = device.allocate(n);
                owned.add(m);
                mems.put(b.id(), m);
            }
        }
        cl_mem errors = null;
        if (!r.errors().isEmpty()) {
            errors = device.allocate(2L * Sizeof.cl_long);
            owned.add(errors);
        }
        List<cl_mem> scratch = new ArrayList<>();
        for (OpenClRenderer.Scratch sc : r.scratch()) {
            cl_mem m = sc.init() != null ? device.upload(sc.init()) : device.allocate(sc.bytes());
            scratch.add(m);
            owned.add(m);
        }
        return new Specialized(prog, kernels, r.launches(), mems, owned, env, errors, r.errors(), scratch);
    }

    private static long bytes(Buffer b, Map<String, Long> env) {
        return b.size().evaluate(env) * DeviceArrays.of(b).bytes;
    }

    @Override
    public synchronized void close() {
        for (Specialized s : cache.values()) {
            s.kernels.forEach(org.jocl.CL::clReleaseKernel);
            clReleaseProgram(s.program);
            s.owned.forEach(org.jocl.CL::clReleaseMemObject);
        }
        cache.clear();
        weights.values().forEach(org.jocl.CL::clReleaseMemObject);
        transposed.values().forEach(org.jocl.CL::clReleaseMemObject);
        weights.clear();
        transposed.clear();
        clReleaseCommandQueue(queue);
    }
}
