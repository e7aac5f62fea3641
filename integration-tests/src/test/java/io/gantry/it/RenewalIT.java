package io.gantry.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import io.gantry.api.keystore.DeviceIdentity;
import io.gantry.api.keystore.RenewableIdentity;
import io.gantry.api.renewal.RenewalPhase;
import io.gantry.api.renewal.RenewalStatus;
import io.gantry.pki.Pkcs12Files;
import io.gantry.pki.PkiDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The renewal bundle in the gateway's real bundle set, with BouncyCastle bcpkix and bcutil: it
 * resolves, the file keystore offers a renewable identity, and the scheduler publishes its
 * status; it waits for, but does not restart with, the verifier that offers the trust root's TLS
 * policy. The backend URL points at a closed port: a fresh 5-year certificate needs no backend.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RenewalIT {
    private static final String DEVICE = "gw-renewal-it";
    @Inject
    BundleContext context;

    private GatewayContainer gateway;

    @Before
    public void openContainer() {
        gateway = new GatewayContainer(context);
    }

    @After
    public void closeContainer() {
        gateway.close();
    }

    @Configuration
    public Option[] config() throws Exception {
        Path home = Files.createTempDirectory("gantry-renewal-it-");
        // A trust root and the verifier: renewal starts only once the trust root's TLS policy is known.
        Path conf = GatewayFixture.create().confDir();
        PkiDirectory pki = PkiDirectory.create(home.resolve("pki"), PkiDirectory.DEFAULT_SERVER_SANS);
        Path p12 = pki.issueDevice(DEVICE);
        Files.writeString(conf.resolve("io.gantry.keystore.file.config"), "keystorePath=\"" + p12 + "\"\n"
                + "passwordFile=\"" + Pkcs12Files.passwordFile(p12) + "\"\ntrustAnchorPath=\"" + pki.rootCaPem() + "\"\n");
        Files.writeString(conf.resolve("io.gantry.renewal.config"), "backendUrl=\"https://127.0.0.1:1\"\n");
        return GatewayContainer.options(conf);
    }

    @Test
    public void renewalAndBouncyCastleBundlesAreActive() {
        for (String bsn : List.of("io.gantry.renewal", "io.gantry.keystore", "bcpkix", "bcutil", "bcprov")) {
            assertEquals(bsn, Bundle.ACTIVE, gateway.bundle(bsn).getState());
        }
    }

    @Test
    public void fileKeyStoreOffersTheSameIdentityAsRenewable() throws Exception {
        RenewableIdentity renewable = gateway.service(RenewableIdentity.class);
        assertEquals(DEVICE, renewable.deviceId());
        assertEquals(DEVICE, gateway.service(DeviceIdentity.class).deviceId());
        byte[] csr = renewable.beginRenewal().csr();
        assertTrue("a DER PKCS#10 request", csr.length > 100 && csr[0] == 0x30);
    }

    @Test
    public void renewalFollowsTheVerifierWithoutRestarting() throws Exception {
        RenewalStatus before = gateway.service(RenewalStatus.class);
        Bundle verifier = gateway.bundle("io.gantry.verifier");
        verifier.stop();
        try {
            assertSame("renewal keeps running while the verifier is away", before, gateway.service(RenewalStatus.class));
        } finally {
            verifier.start();
        }
        assertSame("and is not restarted when it comes back", before, gateway.service(RenewalStatus.class));
        assertEquals(RenewalPhase.NORMAL, before.phase());
    }

    @Test
    public void renewalStatusIsPublishedForAFreshCertificate() throws Exception {
        RenewalStatus status = gateway.service(RenewalStatus.class);
        Instant notAfter = gateway.service(DeviceIdentity.class).certificateChain().get(0).getNotAfter().toInstant();
        assertEquals(notAfter, status.notAfter());
        assertEquals(RenewalPhase.NORMAL, status.phase());
        assertEquals(0, status.failures());
        assertTrue(status.lastError().isEmpty());
        assertEquals(notAfter.minus(Duration.ofDays(90)), status.nextAttempt());
    }
}
