package io.gantry.counter.pkcs11.internal;

import io.gantry.api.counter.MonotonicCounter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.xipki.pkcs11.wrapper.PKCS11Token;
import org.xipki.pkcs11.wrapper.Token;
import org.xipki.pkcs11.wrapper.TokenException;
import org.xipki.pkcs11.wrapper.TokenInfo;

/**
 * Monotonic counters kept as objects on a PKCS#11 token (docs/release-format.md, Anti-rollback), so
 * that restoring or rewriting the gateway's file system does not reset them.
 *
 * <p>Crash safety: an advance creates a new value object, then destroys the older ones; a read takes
 * the largest value present. A crash between the two leaves two objects and the new value, never no
 * value or a lower one. Fail closed: a token that is missing, refuses the login, lost the store
 * marker or holds an unreadable value makes {@link #read} and {@link #advance} throw
 * {@link IOException}; nothing is ever read as 0 because it could not be read.
 *
 * <p>A PKCS#11 hardware monotonic counter (CKH_MONOTONIC_COUNTER) is reported by {@link #mechanism()}
 * when the token has one, but not used: PKCS#11 defines it read-only, one per token, increasing by
 * itself on every read, so it cannot hold named values that jump to a signed release's counter.
 */
@Component(configurationPid = "io.gantry.counter.pkcs11", configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = "gantry.counter=pkcs11")
@Designate(ocd = Pkcs11CounterConfig.class)
public final class Pkcs11MonotonicCounter implements MonotonicCounter {
    private final Token token;
    private final Path pinFile;
    private final byte[] storeId;
    private final String mechanism;
    /** Logged-in session pool; dropped after a token error and opened again by the next call. */
    private PKCS11Token session;

    @Activate
    public Pkcs11MonotonicCounter(Pkcs11CounterConfig config, BundleContext context) throws IOException {
        this(config, context.getDataFile("token-counter-store.id").toPath());
    }

    Pkcs11MonotonicCounter(Pkcs11CounterConfig config, Path storeFile) throws IOException {
        if (config.pinFile() == null || config.pinFile().isBlank()) {
            throw new IOException("configuration pinFile is not set");
        }
        this.pinFile = Path.of(config.pinFile());
        this.token = TokenSlots.open(config.library(), config.slot(), config.tokenLabel());
        try {
            CounterObjects objects = objects();
            this.storeId = StoreBinding.bind(objects, storeFile);
            TokenInfo info = token.getTokenInfo();
            this.mechanism = "PKCS#11 token objects on token '" + info.getLabel().trim() + "' ("
                    + info.getManufacturerID().trim() + " " + info.getModel().trim() + ", serial "
                    + info.getSerialNumber().trim() + "); hardware monotonic counter: " + hardwareCounter(objects);
        } catch (TokenException e) {
            close();
            throw new IOException("cannot open the counter store on the token: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Deactivate
    synchronized void close() {
        if (session != null) {
            session.closeAllSessions();
            session = null;
        }
    }

    @Override
    public synchronized long read(String name) throws IOException {
        try {
            return max(entries(name));
        } catch (TokenException e) {
            throw failed("read counter '" + name + "'", e);
        }
    }

    @Override
    public synchronized void advance(String name, long value) throws IOException {
        try {
            List<CounterObjects.Entry> entries = entries(name);
            long current = max(entries);
            if (value < current) {
                throw new IllegalArgumentException("counter " + name + " is " + current + "; it cannot go back to "
                        + value);
            }
            if (entries.isEmpty() && value == current) {
                return;
            }
            // The object that holds the value from now on: a new one, or (equal value) the one there.
            long keep = value > current ? objects().create(name, value) : newest(entries).handle();
            // Only now the older objects go; leftovers of an earlier crash go with them.
            for (CounterObjects.Entry e : entries) {
                if (e.handle() != keep) {
                    objects().destroy(e.handle());
                }
            }
        } catch (TokenException e) {
            throw failed("advance counter '" + name + "' to " + value, e);
        }
    }

    @Override
    public String mechanism() {
        return mechanism;
    }

    /** @return the counter's stored values, after checking that the token still holds this store */
    private List<CounterObjects.Entry> entries(String name) throws TokenException, IOException {
        CounterObjects objects = objects();
        byte[] present = objects.storeId().orElseThrow(() -> new IOException(
                "the counter store is gone from the token (removed, wiped or replaced)"));
        if (!Arrays.equals(present, storeId)) {
            throw new IOException("the token now holds another counter store: a different token is in the slot");
        }
        return objects.entries(name);
    }

    private CounterObjects objects() throws TokenException, IOException {
        if (session == null) {
            char[] pin = PinFiles.read(pinFile);
            try {
                session = new PKCS11Token(token, false, pin);
            } finally {
                Arrays.fill(pin, '\0');
            }
        }
        return new CounterObjects(session);
    }

    private IOException failed(String what, TokenException e) {
        close();
        return new IOException("cannot " + what + " on the PKCS#11 token: " + e.getMessage(), e);
    }

    private static String hardwareCounter(CounterObjects objects) {
        try {
            return objects.hasHardwareCounter() ? "present, not used for named values" : "none";
        } catch (TokenException e) {
            return "not queryable (" + e.getMessage() + ")";
        }
    }

    private static long max(List<CounterObjects.Entry> entries) {
        return entries.stream().mapToLong(CounterObjects.Entry::value).max().orElse(0);
    }

    private static CounterObjects.Entry newest(List<CounterObjects.Entry> entries) {
        return entries.stream().max((a, b) -> Long.compare(a.value(), b.value())).orElseThrow();
    }

    @Override
    public String toString() {
        return "Pkcs11MonotonicCounter[" + mechanism + "]";
    }
}
