package io.gantry.counter.pkcs11.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.PKCS11Constants;
import org.xipki.pkcs11.wrapper.PKCS11Token;
import org.xipki.pkcs11.wrapper.TokenException;

/**
 * The token objects behind the counters, all CKO_DATA with CKA_TOKEN (persistent) and CKA_PRIVATE
 * (readable and writable only after a user login), never modified after creation:
 *
 * <ul>
 *   <li>one store marker: CKA_APPLICATION {@value #STORE_APP}, CKA_VALUE 16 random bytes;
 *   <li>per counter value: CKA_APPLICATION {@value #COUNTER_APP}, CKA_LABEL the counter's name,
 *       CKA_VALUE the value as 8 bytes big-endian. A counter may have several such objects for a
 *       moment (an advance creates the new one before destroying the old); its value is the largest.
 * </ul>
 */
final class CounterObjects {
    static final String STORE_APP = "gantry-counter-store";
    static final String COUNTER_APP = "gantry-counter";

    /** One stored value of a counter. */
    record Entry(long handle, long value) {
    }

    private final PKCS11Token token;

    CounterObjects(PKCS11Token token) {
        this.token = token;
    }

    /** @return the store marker's value, if the token has one */
    Optional<byte[]> storeId() throws TokenException, IOException {
        long[] found = token.findAllObjects(base(STORE_APP));
        if (found.length > 1) {
            throw new IOException("the token holds " + found.length + " counter store markers; expected one");
        }
        return found.length == 0 ? Optional.empty() : Optional.of(value(found[0]));
    }

    /** Creates the store marker. @return its value */
    byte[] createStore() throws TokenException {
        byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        token.createObject(base(STORE_APP).label("gantry anti-rollback counter store").value(id));
        return id;
    }

    /** @return every stored value of the counter {@code name}, in no particular order */
    List<Entry> entries(String name) throws TokenException, IOException {
        List<Entry> entries = new ArrayList<>();
        for (long handle : token.findAllObjects(base(COUNTER_APP).label(name))) {
            byte[] v = value(handle);
            if (v.length != Long.BYTES) {
                // Unreadable state is never taken for 0: the caller refuses instead.
                throw new IOException("counter object for '" + name + "' holds " + v.length + " bytes, not 8");
            }
            entries.add(new Entry(handle, ByteBuffer.wrap(v).getLong()));
        }
        return entries;
    }

    /** Stores a new value object for {@code name}; durable on the token when this returns. */
    long create(String name, long value) throws TokenException {
        return token.createObject(base(COUNTER_APP).label(name)
                .value(ByteBuffer.allocate(Long.BYTES).putLong(value).array()));
    }

    void destroy(long handle) throws TokenException {
        token.destroyObject(handle);
    }

    /** @return whether the token offers a PKCS#11 hardware monotonic counter (CKH_MONOTONIC_COUNTER) */
    boolean hasHardwareCounter() throws TokenException {
        return token.findObjects(new AttributeVector().class_(PKCS11Constants.CKO_HW_FEATURE)
                .hwFeatureType(PKCS11Constants.CKH_MONOTONIC_COUNTER), 1).length > 0;
    }

    private byte[] value(long handle) throws TokenException, IOException {
        byte[] v = token.getAttrValues(handle, PKCS11Constants.CKA_VALUE).value();
        if (v == null) {
            throw new IOException("token object " + handle + " has no readable CKA_VALUE");
        }
        return v;
    }

    private static AttributeVector base(String application) {
        return new AttributeVector().class_(PKCS11Constants.CKO_DATA).token(true).private_(true)
                .application(application);
    }
}
