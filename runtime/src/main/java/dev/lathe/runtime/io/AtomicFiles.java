package dev.lathe.runtime.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers see either the old content or the complete new content, never a
 * half-written file: the bytes go to a temporary file in the same directory (a rename is atomic only
 * within one file system), are forced to disk, and the temporary file is then renamed over the target.
 */
final class AtomicFiles {
    private AtomicFiles() {}

    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    static void write(Path target, Body body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        // A random name with CREATE_NEW (rather than Files.createTempFile) keeps the default
        // permissions that an ordinary new file would get.
        String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        Path temp = dir.resolve("." + absolute.getFileName() + "." + suffix + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
                body.writeTo(out);
                out.flush();
                ch.force(true);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
