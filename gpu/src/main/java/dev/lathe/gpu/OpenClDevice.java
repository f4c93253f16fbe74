package dev.lathe.gpu;

import static org.jocl.CL.*;

import java.util.ArrayList;
import java.util.List;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_mem;
import org.jocl.cl_platform_id;
import org.jocl.cl_program;
import org.jocl.cl_queue_properties;

/**
 * One OpenCL device with its context. Devices are numbered over all devices of all platforms, in
 * platform order ({@code --device N}); {@link #list()} says which is which.
 */
public final class OpenClDevice implements AutoCloseable {
    /** A device found on this machine. */
    public record Info(int index, String platform, String name, String type, boolean fp64) {
        @Override
        public String toString() {
            return index + ": " + name + " (" + type + ", " + platform + (fp64 ? ", fp64" : "") + ")";
        }
    }

    private final Info info;
    private final cl_device_id id;
    private final cl_context context;

    private OpenClDevice(Info info, cl_platform_id platform, cl_device_id id) {
        this.info = info;
        this.id = id;
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, platform);
        this.context = clCreateContext(props, 1, new cl_device_id[] {id}, null, null, null);
    }

    private static final String NO_PLATFORM = "no OpenCL platform found: install an OpenCL driver (e.g. pocl-opencl-icd for the CPU, or the GPU vendor's) "
            + "and the ICD loader with its unversioned libOpenCL.so (Debian/Ubuntu: apt-get install pocl-opencl-icd ocl-icd-libopencl1 ocl-icd-opencl-dev)";

    private record Found(Info info, cl_platform_id platform, cl_device_id device) {}

    private static List<Found> enumerate() {
        try {
            CL.setExceptionsEnabled(true);
            int[] n = new int[1];
            try {
                clGetPlatformIDs(0, null, n);
            } catch (CLException e) {
                throw new OpenClException(NO_PLATFORM + " (" + e.getMessage() + ")");
            }
            if (n[0] == 0) throw new OpenClException(NO_PLATFORM);
            cl_platform_id[] platforms = new cl_platform_id[n[0]];
            clGetPlatformIDs(n[0], platforms, null);
            List<Found> out = new ArrayList<>();
            for (cl_platform_id p : platforms) {
                String pname = platformString(p, CL_PLATFORM_NAME);
                int[] nd = new int[1];
                try {
                    clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, nd);
                } catch (CLException e) {
                    continue; // CL_DEVICE_NOT_FOUND
                }
                cl_device_id[] devs = new cl_device_id[nd[0]];
                clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, nd[0], devs, null);
                for (cl_device_id d : devs) {
                    long[] type = new long[1];
                    clGetDeviceInfo(d, CL_DEVICE_TYPE, Sizeof.cl_long, Pointer.to(type), null);
                    String t = (type[0] & CL_DEVICE_TYPE_GPU) != 0 ? "GPU" : (type[0] & CL_DEVICE_TYPE_CPU) != 0 ? "CPU"
                            : (type[0] & CL_DEVICE_TYPE_ACCELERATOR) != 0 ? "accelerator" : "other";
                    boolean fp64 = deviceString(d, CL_DEVICE_EXTENSIONS).contains("cl_khr_fp64");
                    out.add(new Found(new Info(out.size(), pname, deviceString(d, CL_DEVICE_NAME).trim(), t, fp64), p, d));
                }
            }
            if (out.isEmpty()) throw new OpenClException("no OpenCL device found on " + platforms.length + " platform(s)");
            return out;
        } catch (UnsatisfiedLinkError e) {
            throw new OpenClException(NO_PLATFORM + " (" + e.getMessage() + ")", e);
        } catch (CLException e) {
            throw new OpenClException("OpenCL error while listing devices: " + e.getMessage(), e);
        }
    }

    /** Every device of every platform; throws {@link OpenClException} when there is none. */
    public static List<Info> list() {
        return enumerate().stream().map(Found::info).toList();
    }

    /** True when at least one OpenCL device is present (never throws). */
    public static boolean available() {
        try {
            return !enumerate().isEmpty();
        } catch (OpenClException | LinkageError e) {
            return false;
        }
    }

    /** Device {@code index} over all platforms; -1 picks the first GPU, else device 0. */
    public static OpenClDevice open(int index) {
        List<Found> all = enumerate();
        Found f;
        if (index < 0) {
            f = all.stream().filter(x -> x.info().type().equals("GPU")).findFirst().orElse(all.get(0));
        } else {
            if (index >= all.size()) {
                throw new OpenClException("no OpenCL device " + index + ": this machine has " + all.size() + " (" + all.stream().map(x -> x.info().toString()).toList() + ")");
            }
            f = all.get(index);
        }
        try {
            return new OpenClDevice(f.info(), f.platform(), f.device());
        } catch (CLException e) {
            throw new OpenClException("cannot open OpenCL device " + f.info() + ": " + e.getMessage(), e);
        }
    }

    public Info info() {
        return info;
    }

    public String name() {
        return info.name();
    }

    cl_command_queue newQueue() {
        cl_queue_properties props = new cl_queue_properties();
        props.addProperty(CL_QUEUE_PROPERTIES, CL_QUEUE_PROFILING_ENABLE);
        return clCreateCommandQueueWithProperties(context, id, props, null);
    }

    /** Builds {@code source}; a build failure is an {@link OpenClException} carrying the build log. */
    cl_program build(String source) {
        cl_program p = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        try {
            clBuildProgram(p, 0, null, "", null, null);
        } catch (CLException e) {
            long[] size = new long[1];
            clGetProgramBuildInfo(p, id, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] log = new byte[(int) size[0]];
            clGetProgramBuildInfo(p, id, CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
            clReleaseProgram(p);
            throw new OpenClException("OpenCL program build failed on " + info.name() + ": " + e.getMessage() + "\nbuild log:\n"
                    + new String(log, 0, Math.max(0, log.length - 1), java.nio.charset.StandardCharsets.UTF_8), e);
        }
        return p;
    }

    cl_mem upload(float[] data) {
        if (data.length == 0) return allocate(8);
        return clCreateBuffer(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, (long) data.length * Sizeof.cl_float, Pointer.to(data), null);
    }

    cl_mem upload(double[] data) {
        if (data.length == 0) return allocate(8);
        return clCreateBuffer(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, (long) data.length * Sizeof.cl_double, Pointer.to(data), null);
    }

    cl_mem upload(DeviceArrays.HostArray data) {
        if (data.bytes() == 0) return allocate(8);
        return clCreateBuffer(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, data.bytes(), data.pointer(), null);
    }

    /** A read-write buffer of {@code bytes} bytes (at least 8). */
    cl_mem allocate(long bytes) {
        return clCreateBuffer(context, CL_MEM_READ_WRITE, Math.max(8, bytes), null, null);
    }

    private static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(p, param, 0, null, size);
        byte[] b = new byte[(int) size[0]];
        clGetPlatformInfo(p, param, b.length, Pointer.to(b), null);
        return new String(b, 0, Math.max(0, b.length - 1), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String deviceString(cl_device_id d, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(d, param, 0, null, size);
        byte[] b = new byte[(int) size[0]];
        clGetDeviceInfo(d, param, b.length, Pointer.to(b), null);
        return new String(b, 0, Math.max(0, b.length - 1), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        clReleaseContext(context);
    }

    @Override
    public String toString() {
        return info.toString();
    }
}
