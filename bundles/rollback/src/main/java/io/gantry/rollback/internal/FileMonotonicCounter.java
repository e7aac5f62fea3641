package io.gantry.rollback.internal;

import io.gantry.api.counter.MonotonicCounter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Monotonic counters in a file, for gateways without a TPM or secure element. Each advance writes a
 * new file, forces it to disk and renames it over the old one, so a power cut leaves either the old
 * or the new value, never a torn one. Limits (docs/security.md): anyone who can write the gateway's
 * storage, or restore an old image of it, can reset these counters; a hardware counter cannot be.
 *
 * <p>Registered with {@code gantry.counter=file}: the verifier binds the counter its configuration
 * names (docs/gateway.md, Anti-rollback counters), this one unless told otherwise.
 */
@Component(property = "gantry.counter=file")
public final class FileMonotonicCounter implements MonotonicCounter {
    private final Path file;
    private final Properties values = new Properties();

    @Activate
    public FileMonotonicCounter(BundleContext context) throws IOException {
        this(context.getDataFile("counters.properties").toPath());
    }

    FileMonotonicCounter(Path file) throws IOException {
        this.file = file;
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                values.load(in);
            }
        }
    }

    @Override
    public synchronized long read(String name) {
        return Long.parseLong(values.getProperty(name, "0"));
    }

    @Override
    public synchronized void advance(String name, long value) throws IOException {
        long current = read(name);
        if (value < current) {
            throw new IllegalArgumentException("counter " + name + " is " + current + "; it cannot go back to " + value);
        }
        if (value == current) {
            return;
        }
        Properties next = new Properties();
        next.putAll(values);
        next.setProperty(name, Long.toString(value));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING); OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
            next.store(out, "Gantry monotonic counters: values only ever increase");
            out.flush();
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        values.setProperty(name, Long.toString(value));
    }

    @Override
    public String mechanism() {
        return "file " + file + " (atomic, fsync; no hardware protection)";
    }
}
