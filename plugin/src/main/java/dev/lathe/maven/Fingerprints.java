package dev.lathe.maven;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * SHA-256 content hashes of the files a build reads. Files of at least {@link #REUSE_AT_BYTES}
 * (weights, as a rule) keep their hash from the last build while their size and modification time
 * are unchanged, so an up-to-date check does not read gigabytes; smaller files are always hashed.
 */
final class Fingerprints {
    static final long REUSE_AT_BYTES = 1L << 20;

    private final Map<String, BuildState.FileHash> previous;
    private final Map<String, BuildState.FileHash> current = new TreeMap<>();

    Fingerprints(Map<String, BuildState.FileHash> previous) {
        this.previous = previous;
    }

    /** The SHA-256 of {@code file}, recorded under {@code key} (its path as the state names it). */
    String file(String key, Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        long size = a.size();
        long modified = a.lastModifiedTime().toMillis();
        BuildState.FileHash known = current.get(key);
        if (known == null && size >= REUSE_AT_BYTES) {
            BuildState.FileHash p = previous.get(key);
            if (p != null && p.size() == size && p.modified() == modified) known = p;
        }
        if (known == null || known.size() != size || known.modified() != modified) {
            known = new BuildState.FileHash(size, modified, sha256(file));
        }
        if (size >= REUSE_AT_BYTES) current.put(key, known);
        return known.sha256();
    }

    /** The hashes worth keeping for the next build. */
    Map<String, BuildState.FileHash> recorded() {
        return current;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md = digest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String sha256(String text) {
        return HexFormat.of().formatHex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
