package io.gantry.api.verify;

import io.gantry.api.release.PayloadInfo;
import java.io.IOException;
import java.io.InputStream;
import org.osgi.annotation.versioning.ProviderType;

/** A payload whose bytes hashed to the signed digest at the signed size. */
@ProviderType
public interface VerifiedPayload {

    /** @return the signed name, digest and size */
    PayloadInfo info();

    /**
     * @return the verified bytes. The stream re-checks the digest as it is read and fails at end
     *     of stream if the staged copy changed since verification, so a consumer that reads to the
     *     end never acts on bytes other than those verified.
     */
    InputStream open() throws IOException;
}
