package io.gantry.api.verify;

import java.io.IOException;
import java.io.InputStream;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where a release's bytes come from: a download from the backend, a local archive, a USB stick.
 * A source is untrusted; the verifier reads metadata and signatures first and opens a payload
 * only after they verify, and never reads more than the signed size plus one byte.
 */
@ConsumerType
public interface ReleaseSource {

    /** @return the exact metadata bytes the signatures cover */
    byte[] metadata() throws IOException;

    /** @return the signature envelope (docs/release-format.md) */
    byte[] signatures() throws IOException;

    /**
     * @param payloadName a payload name taken from verified metadata
     * @return the payload's bytes as offered; the caller closes the stream
     */
    InputStream openPayload(String payloadName) throws IOException;

    /**
     * Opens a payload knowing its signed size, which a network source uses for its download
     * deadline (a minimum transfer rate over the signed size, THREATS.md "slow retrieval") instead
     * of a size the server lists. The verifier calls this one; the default ignores the size.
     *
     * @param payloadName a payload name taken from verified metadata
     * @param signedSize the payload's size in the verified metadata
     * @return the payload's bytes as offered; the caller closes the stream
     * @since 1.2
     */
    default InputStream openPayload(String payloadName, long signedSize) throws IOException {
        return openPayload(payloadName);
    }

    /** @return a short description for logs and reports (URL, file name) */
    String describe();
}
