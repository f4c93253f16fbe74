package dev.lathe.backend.jvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where generated class files go: the one path for both uses of the JVM backend. {@link #directory}
 * writes {@code .class} files (build time: {@code lathe compile}, the Maven plugin); {@link Memory}
 * keeps the bytes for {@code Lathe.compile}, which defines them as a hidden class.
 */
@FunctionalInterface
public interface ClassSink {
    /** Receives one class: its binary name ({@code dev.lathe.runtime.model.gen.Mlp}) and class-file bytes. */
    void accept(String binaryName, byte[] bytes) throws IOException;

    /** Writes {@code <simple name>.class} into {@code dir} (created if needed). */
    static ClassSink directory(Path dir) {
        return (name, bytes) -> {
            Files.createDirectories(dir);
            Files.write(dir.resolve(name.substring(name.lastIndexOf('.') + 1) + ".class"), bytes);
        };
    }

    /** Keeps the last class it receives. */
    final class Memory implements ClassSink {
        private String name;
        private byte[] bytes;

        @Override
        public void accept(String binaryName, byte[] classBytes) {
            this.name = binaryName;
            this.bytes = classBytes.clone();
        }

        public String name() {
            return name;
        }

        public byte[] bytes() {
            if (bytes == null) throw new IllegalStateException("no class was generated");
            return bytes.clone();
        }
    }
}
