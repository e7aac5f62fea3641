package io.gantry.api.keystore;

import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The identity a gateway presents to the backend: one private key that never leaves the
 * implementation, and its certificate chain. The device id is the certificate subject's common
 * name; the backend binds every request to it.
 */
@ProviderType
public interface DeviceIdentity {

    /** @return the device id (the CN of the device certificate's subject) */
    String deviceId();

    /** @return the device certificate first, then its issuers up to (not including) the root */
    List<X509Certificate> certificateChain();

    /**
     * @return a TLS context that presents this identity as client and trusts only the
     *     configured CA for the server side; a fresh context reflects the current key entry
     */
    SSLContext sslContext();
}
