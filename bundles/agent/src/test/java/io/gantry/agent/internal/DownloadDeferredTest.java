package io.gantry.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gantry.api.agent.UpdateFailedException;
import io.gantry.api.agent.UpdateFailureCode;
import io.gantry.api.rollback.RollbackManager;
import io.gantry.api.verify.ReleaseSource;
import io.gantry.api.verify.ReleaseVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A 429 from the backend's download quota defers the action instead of failing the release. */
class DownloadDeferredTest {

    @Test
    void retryAfterIsReadAsSecondsAndBounded() {
        Duration fallback = Duration.ofMinutes(1);
        assertEquals(Duration.ofSeconds(120), DownloadDeferredException.parseRetryAfter("120", fallback));
        assertEquals(Duration.ofHours(1), DownloadDeferredException.parseRetryAfter("9999999", fallback));
        assertEquals(fallback, DownloadDeferredException.parseRetryAfter(null, fallback));
        assertEquals(fallback, DownloadDeferredException.parseRetryAfter("Wed, 21 Oct 2026 07:28:00 GMT", fallback));
        assertEquals(fallback, DownloadDeferredException.parseRetryAfter("0", fallback));
    }

    @Test
    void aDeferredDownloadIsReportedAsDownloadDeferredNotAsAFailedRelease() {
        ReleaseApplier applier = new ReleaseApplier(verifierFailingWith(
                new IOException("metadata", new DownloadDeferredException("answered 429", Duration.ofSeconds(30)))),
                unused(RollbackManager.class), TestFleets.fleet());
        UpdateFailedException e = assertThrows(UpdateFailedException.class, () -> applier.apply(source()));
        assertEquals(UpdateFailureCode.DOWNLOAD_DEFERRED, e.code());

        ReleaseApplier other = new ReleaseApplier(verifierFailingWith(new IOException("connection reset")),
                unused(RollbackManager.class), TestFleets.fleet());
        assertEquals(UpdateFailureCode.DOWNLOAD_FAILED, assertThrows(UpdateFailedException.class, () -> other.apply(source())).code());
    }

    private static ReleaseVerifier verifierFailingWith(IOException failure) {
        return (ReleaseVerifier) Proxy.newProxyInstance(ReleaseVerifier.class.getClassLoader(),
                new Class<?>[] {ReleaseVerifier.class}, (proxy, method, args) -> {
                    if (method.getName().equals("verify")) {
                        throw failure;
                    }
                    throw new AssertionError("not expected: " + method);
                });
    }

    private static <T> T unused(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            throw new AssertionError("not expected: " + method);
        }));
    }

    private static ReleaseSource source() {
        return new ReleaseSource() {
            @Override
            public byte[] metadata() {
                throw new AssertionError("the verifier reads the source");
            }

            @Override
            public byte[] signatures() {
                throw new AssertionError("the verifier reads the source");
            }

            @Override
            public InputStream openPayload(String payloadName) {
                throw new AssertionError("the verifier reads the source");
            }

            @Override
            public String describe() {
                return "release from a busy backend";
            }
        };
    }
}
