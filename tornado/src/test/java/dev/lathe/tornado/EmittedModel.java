package dev.lathe.tornado;

import dev.lathe.lower.KernelProgram;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.io.SafetensorsWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Emitted sources compiled by javac (javax.tools) against the test class path, which holds the TornadoVM
 * API: the stand-in by default, the real jars under {@code -Ptornado}. Class files go to a folder and load
 * through a URLClassLoader, as TornadoVM needs (it re-reads kernel bytecode from class files).
 */
final class EmittedModel implements AutoCloseable {
    private final AutoCloseable instance;
    private final URLClassLoader loader;

    private EmittedModel(AutoCloseable instance, URLClassLoader loader) {
        this.instance = instance;
        this.loader = loader;
    }

    /** Emits {@code p} for {@code dims}, compiles it in {@code dir} and constructs the host class on the weights written there. */
    static EmittedModel build(KernelProgram p, Map<String, Long> dims, Path dir) {
        EmittedSources src = TornadoEmitter.emit(p, dims, "gen.lathe", "Model");
        try {
            Path weights = dir.resolve("weights.safetensors");
            SafetensorsWriter.write(weights, p.weights(), Map.of());
            Path classes = compile(src, dir);
            URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, EmittedModel.class.getClassLoader());
            Class<?> host = loader.loadClass(src.qualified(src.hostClass()));
            Constructor<?> c = host.getConstructor(Path.class);
            return new EmittedModel((AutoCloseable) c.newInstance(weights), loader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** javac on both sources; fails with javac's diagnostics and the sources. */
    static Path compile(EmittedSources src, Path dir) throws IOException {
        Path sources = dir.resolve("src"), classes = dir.resolve("classes");
        Files.createDirectories(classes);
        List<Path> files = src.writeTo(sources);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter out = new StringWriter();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
            Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromPaths(files);
            List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d", classes.toString(), "-proc:none", "-Xlint:none");
            Boolean ok = javac.getTask(out, fm, null, options, null, units).call();
            if (!ok) throw new AssertionError("javac failed:\n" + out + "\n" + src.kernelsSource() + "\n" + src.hostSource());
        }
        return classes;
    }

    @SuppressWarnings("unchecked")
    Map<String, Tensor> run(Map<String, Tensor> inputs) {
        try {
            return (Map<String, Tensor>) instance.getClass().getMethod("run", Map.class).invoke(instance, inputs);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        instance.close();
        loader.close();
    }
}
