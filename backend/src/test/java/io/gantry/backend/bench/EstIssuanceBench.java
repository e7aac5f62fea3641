package io.gantry.backend.bench;

import io.gantry.backend.BackendServer;
import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.est.EnrollmentConfig;
import io.gantry.pki.CertificateAuthority;
import io.gantry.pki.CsrIssuance;
import io.gantry.pki.EcKeys;
import io.gantry.pki.JcaProviders;
import io.gantry.pki.PemCertificates;
import io.gantry.pki.PkiDirectory;
import io.gantry.pki.ProtectedKeyStore;
import io.gantry.testing.fleet.TrustRootFixture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Benchmark harness, not a test: certificates issued per second (1) in process, CSR parse + proof
 * of possession + sign (the production {@link CsrIssuance} path, no TLS, no database), and (2)
 * through EST simplereenroll over mutual TLS with keep-alive and concurrent clients against a real
 * backend in this JVM (TLS, CSR checks, signing, registry insert, PKCS#7). The JCA provider of
 * CA signing and CSR verification is chosen per JVM with {@code -Dgantry.pki.jcaProvider=BC|JDK}
 * ({@link JcaProviders}); run once per provider. Results: docs/benchmarks.md, "EST issuance".
 *
 * <pre>java -Dgantry.pki.jcaProvider=JDK -cp ... io.gantry.backend.bench.EstIssuanceBench [seconds] [clients...]</pre>
 */
public final class EstIssuanceBench {
    private EstIssuanceBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<Integer> clientCounts = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            clientCounts.add(Integer.parseInt(args[i]));
        }
        if (clientCounts.isEmpty()) {
            clientCounts = List.of(1, 4, 16, 64);
        }
        Path dir = Files.createTempDirectory("est-bench");
        int revocationPort = freePort();
        PkiDirectory pki = PkiDirectory.create(dir.resolve("pki"), PkiDirectory.DEFAULT_SERVER_SANS,
                io.gantry.pki.RevocationEndpoints.of("http://127.0.0.1:" + revocationPort), Clock.systemUTC());
        System.out.printf("provider %s, %d cores, %s %s%n", JcaProviders.inUse(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"));

        CertificateAuthority ca = pki.loadIntermediateCa();
        CertificateAuthority quiet = new CertificateAuthority(ca.privateKey(), ca.certificate(), Clock.systemUTC());
        for (int threads : List.of(1, 2)) {
            inProcess(quiet, threads, 2);
            System.out.printf("in-process CSR verify + sign, %d thread(s): %.0f certificates/s%n", threads,
                    inProcess(quiet, threads, seconds));
        }

        // Device identities before the backend starts: it imports the PKI's issuance log at start.
        for (int clients : clientCounts) {
            for (int i = 0; i < clients; i++) {
                pki.issueDevice(deviceId(clients, i));
            }
        }
        Path trust = TrustRootFixture.create(dir.resolve("keys"), Clock.systemUTC(), List.of("alice", "bob"))
                .writeTrustRoot(dir.resolve("trust/trust-root.json"), List.of("alice", "bob"), 1);
        BackendConfig config = BackendConfig.fromPki(dir.resolve("data"), pki, trust).withRevocationPort(revocationPort);
        try (BackendServer backend = BackendServer.start(config, EnrollmentConfig.fromPki(pki), Clock.systemUTC())) {
            for (int clients : clientCounts) {
                overEst(pki, backend.baseUri(), clients, 2);
                System.out.printf("EST simplereenroll over mTLS (keep-alive), %d client(s): %.0f certificates/s%n", clients,
                        overEst(pki, backend.baseUri(), clients, seconds));
            }
        }
    }

    /** @return issuances per second over {@code seconds} with {@code threads} threads */
    static double inProcess(CertificateAuthority ca, int threads, int seconds) throws Exception {
        KeyPair key = EcKeys.generateP256();
        byte[] der = csr("CN=bench-dev", key).getEncoded();
        return run(threads, seconds, t -> CsrIssuance.issueDevice(ca, new PKCS10CertificationRequest(der), "bench-dev"));
    }

    static double overEst(PkiDirectory pki, URI base, int clients, int seconds) throws Exception {
        List<HttpClient> http = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            String id = deviceId(clients, i);
            ProtectedKeyStore identity = pki.loadDevice(id);
            http.add(client(identity, pki.rootCaPem()));
            bodies.add(Base64.getMimeEncoder().encodeToString(csr("CN=" + id, EcKeys.generateP256()).getEncoded()));
        }
        URI uri = base.resolve("/.well-known/est/simplereenroll");
        return run(clients, seconds, t -> {
            HttpResponse<String> r = http.get(t).send(HttpRequest.newBuilder(uri).header("Content-Type", "application/pkcs10")
                    .POST(HttpRequest.BodyPublishers.ofString(bodies.get(t))).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + r.statusCode() + " " + r.body());
            }
        });
    }

    /** Runs {@code work} on {@code threads} threads for {@code seconds}; @return completed operations per second */
    static double run(int threads, int seconds, Work work) throws Exception {
        LongAdder done = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(threads);
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread th = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        work.run(index);
                        done.increment();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    finished.countDown();
                }
            });
            th.start();
        }
        // The harness times itself with a real clock: this is a benchmark, not a test.
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        finished.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (!failures.isEmpty()) {
            throw new IllegalStateException("benchmark operation failed", failures.get(0));
        }
        return done.sum() / elapsed;
    }

    static String deviceId(int clients, int index) {
        return "bench-" + clients + "-" + index;
    }

    static PKCS10CertificationRequest csr(String subject, KeyPair key) throws Exception {
        return new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), key.getPublic())
                .build(JcaProviders.signer().build(key.getPrivate()));
    }

    static HttpClient client(ProtectedKeyStore identity, Path root) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(identity.keyStore(), identity.password());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(PemCertificates.trustStore(root));
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @FunctionalInterface
    interface Work {
        void run(int thread) throws Exception;
    }
}
