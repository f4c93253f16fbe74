package dev.lathe.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.lathe.bench.onnx.OnnxWriter;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link BenchModels.Prepared} graph written as ONNX and loaded into an ONNX Runtime session on the
 * CPU execution provider: {@code intra_op_num_threads = threads}, {@code inter_op_num_threads = 1},
 * sequential execution, every graph optimization on ({@code ORT_ENABLE_ALL}). The inputs are ORT
 * tensors made once. {@code -Dlathe.bench.ortDump=DIR} saves the model ORT optimized there.
 */
public final class OrtModel implements AutoCloseable {
    private final OrtSession session;
    private final Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
    private final byte[] onnx;

    public OrtModel(BenchModels.Prepared model, int threads, OnnxWriter.Attention attention) throws OrtException {
        this(model, threads, OnnxWriter.toBytes(model.graph(), attention), attention.name().toLowerCase());
    }

    /** A session on given ONNX bytes ({@code variant} names the dump file). */
    public OrtModel(BenchModels.Prepared model, int threads, byte[] onnx, String variant) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        this.onnx = onnx;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            String dump = System.getProperty("lathe.bench.ortDump");
            if (dump != null) {
                options.setOptimizedModelFilePath(Path.of(dump, model.key() + "-" + variant + ".ort.onnx").toString());
            }
            session = env.createSession(onnx, options);
        }
        for (Map.Entry<String, Tensor> e : model.inputs().entrySet()) {
            Tensor t = e.getValue();
            if (t.dtype() != DType.F32) throw new IllegalArgumentException("only f32 inputs are supported here");
            inputs.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(t.toFloatArray()), t.shape()));
        }
    }

    /** The ONNX model bytes given to the session. */
    public byte[] onnx() {
        return onnx;
    }

    /** One inference; the caller closes the result (which frees the native output tensors). */
    public OrtSession.Result run() throws OrtException {
        return session.run(inputs);
    }

    /** One inference, outputs copied to Java arrays by name. */
    public Map<String, float[]> outputs() throws OrtException {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (OrtSession.Result r = run()) {
            for (Map.Entry<String, OnnxValue> e : r) {
                FloatBuffer b = ((OnnxTensor) e.getValue()).getFloatBuffer();
                float[] a = new float[b.remaining()];
                b.get(a);
                out.put(e.getKey(), a);
            }
        }
        return out;
    }

    @Override
    public void close() throws OrtException {
        for (OnnxTensor t : inputs.values()) t.close();
        session.close();
    }
}
