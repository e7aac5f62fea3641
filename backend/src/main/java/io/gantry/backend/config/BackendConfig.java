package io.gantry.backend.config;

import io.gantry.pki.Pkcs12Files;
import io.gantry.pki.PkiDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Configuration of a {@link BackendServer}. Defaults: bind 127.0.0.1, ephemeral port, tenant
 * {@code DEFAULT}, polling sleep 5 s, uploads up to 512 MiB, at most 100 000 security events kept,
 * {@link DownloadQuota#DEFAULT} per device as a flood guard, {@link ArtifactDownloadLimit#DEFAULT}, no download
 * offload, the embedded H2 database. There is no default for any key,
 * password or trust anchor; {@link #validate()} refuses missing files (fail closed). Whether the
 * release trust root is signed and usable is checked by {@link BackendServer#start}.
 *
 * @param dataDir database ({@code db/}), artifact store ({@code artifacts/}) and upload spool ({@code tmp/})
 * @param bindHost address the HTTPS connector listens on
 * @param port TCP port, 0 for an ephemeral one
 * @param serverKeyStore PKCS#12 with the TLS key and chain (server, intermediate)
 * @param serverKeyStorePasswordFile file holding that store's password
 * @param clientTrustAnchor PEM root certificate(s) client certificates must chain to
 * @param releaseTrustRoot the release trust root ({@code trust-root.json}, docs/release-format.md); its
 *     signatures are read from {@link io.gantry.release.TrustRootFiles#signaturesOf} beside it
 * @param tenant the single tenant in device URLs ({@code /{tenant}/controller/v1/...})
 * @param pollingSleep how long devices are told to wait between polls
 * @param maxUploadBytes largest release archive accepted
 * @param maxSecurityEvents most security events kept; older ones are deleted first
 * @param issuingCaKeyStore PKCS#12 of the issuing CA (intermediate; password in {@code .pass} beside it): signs CRLs
 *     and the OCSP responder's certificate
 * @param issuanceLog the PKI folder's {@code issued.log}, imported into the certificate registry (may not exist yet)
 * @param revocationPort TCP port of the plain-HTTP CRL/OCSP listener, 0 for an ephemeral one; certificates name
 *     the port of the PKI's revocation URL, so give that one in production ({@code gantry backend} does)
 * @param downloadQuota the per-node flood guard on artifact requests and bytes per device ({@link DownloadQuota#DEFAULT})
 * @param artifactDownloadLimit complete downloads of one artifact per device per window, counted in the database
 *     ({@link ArtifactDownloadLimit#DEFAULT}: one per hour)
 * @param offload signed payload links to a reverse proxy or CDN, or {@code null} to serve every download itself
 * @param database where the rows are kept: {@link DatabaseSettings#EMBEDDED} (H2 in {@code dataDir/db}, the default)
 *     or a PostgreSQL database
 */
public record BackendConfig(
        Path dataDir,
        String bindHost,
        int port,
        Path serverKeyStore,
        Path serverKeyStorePasswordFile,
        Path clientTrustAnchor,
        Path releaseTrustRoot,
        String tenant,
        Duration pollingSleep,
        long maxUploadBytes,
        long maxSecurityEvents,
        Path issuingCaKeyStore,
        Path issuanceLog,
        int revocationPort,
        DownloadQuota downloadQuota,
        ArtifactDownloadLimit artifactDownloadLimit,
        DownloadOffload offload,
        DatabaseSettings database) {

    /** Default tenant, as in hawkBit. */
    public static final String DEFAULT_TENANT = "DEFAULT";
    /** Default polling sleep. */
    public static final Duration DEFAULT_POLLING_SLEEP = Duration.ofSeconds(5);
    /** Default upload cap: 512 MiB. */
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 512L * 1024 * 1024;
    /** Default cap of the security event table. */
    public static final long DEFAULT_MAX_SECURITY_EVENTS = 100_000;
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** @throws NullPointerException if a field is null */
    public BackendConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(serverKeyStore, "serverKeyStore");
        Objects.requireNonNull(serverKeyStorePasswordFile, "serverKeyStorePasswordFile");
        Objects.requireNonNull(clientTrustAnchor, "clientTrustAnchor");
        Objects.requireNonNull(releaseTrustRoot, "releaseTrustRoot");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(pollingSleep, "pollingSleep");
        Objects.requireNonNull(downloadQuota, "downloadQuota");
        Objects.requireNonNull(artifactDownloadLimit, "artifactDownloadLimit");
        Objects.requireNonNull(database, "database");
    }

    /** @return a configuration with every default and the given files */
    public static BackendConfig of(Path dataDir, Path serverKeyStore, Path serverKeyStorePasswordFile,
            Path clientTrustAnchor, Path releaseTrustRoot) {
        return new BackendConfig(dataDir, "127.0.0.1", 0, serverKeyStore, serverKeyStorePasswordFile, clientTrustAnchor,
                releaseTrustRoot, DEFAULT_TENANT, DEFAULT_POLLING_SLEEP, DEFAULT_MAX_UPLOAD_BYTES,
                DEFAULT_MAX_SECURITY_EVENTS, null, null, 0, DownloadQuota.DEFAULT,
                ArtifactDownloadLimit.DEFAULT, null, DatabaseSettings.EMBEDDED);
    }

    /** @return a configuration taking the server key store and trust anchor from a {@link PkiDirectory} */
    public static BackendConfig fromPki(Path dataDir, PkiDirectory pki, Path releaseTrustRoot) {
        BackendConfig c = of(dataDir, pki.serverKeyStore(), Pkcs12Files.passwordFile(pki.serverKeyStore()), pki.rootCaPem(),
                releaseTrustRoot);
        return c.withRevocation(pki.intermediateKeyStore(), pki.issuanceLogFile(), 0);
    }

    /** @return a copy revoking with the issuing CA {@code caKeyStore}, importing {@code log}, listening on {@code port} */
    public BackendConfig withRevocation(Path caKeyStore, Path log, int port) {
        return new BackendConfig(dataDir, bindHost, this.port, serverKeyStore, serverKeyStorePasswordFile, clientTrustAnchor,
                releaseTrustRoot, tenant, pollingSleep, maxUploadBytes, maxSecurityEvents, caKeyStore, log, port, downloadQuota, artifactDownloadLimit, offload, database);
    }

    /** @return a copy whose CRL/OCSP listener uses {@code port} */
    public BackendConfig withRevocationPort(int port) {
        return withRevocation(issuingCaKeyStore, issuanceLog, port);
    }

    /** @return a copy listening on {@code host} */
    public BackendConfig withBindHost(String host) {
        return new BackendConfig(dataDir, host, port, serverKeyStore, serverKeyStorePasswordFile, clientTrustAnchor,
                releaseTrustRoot, tenant, pollingSleep, maxUploadBytes, maxSecurityEvents, issuingCaKeyStore, issuanceLog, revocationPort, downloadQuota, artifactDownloadLimit, offload, database);
    }

    /** @return a copy listening on {@code newPort} */
    public BackendConfig withPort(int newPort) {
        return new BackendConfig(dataDir, bindHost, newPort, serverKeyStore, serverKeyStorePasswordFile, clientTrustAnchor,
                releaseTrustRoot, tenant, pollingSleep, maxUploadBytes, maxSecurityEvents, issuingCaKeyStore, issuanceLog, revocationPort, downloadQuota, artifactDownloadLimit, offload, database);
    }

    /** @return a copy serving {@code newTenant} */
    public BackendConfig withTenant(String newTenant) {
        return new BackendConfig(dataDir, bindHost, port, serverKeyStore, serverKeyStorePasswordFile, clientTrustAnchor,
                releaseTrustRoot, newTenant, pollingSleep, maxUploadBytes, maxSecurityEvents, issuingCaKeyStore, issuanceLog, revocationPort, downloadQuota, artifactDownloadLimit, offload, database);
    }

    /** @return a copy telling devices to sleep {@code sleep} between polls */
    public BackendConfig withPollingSleep(Duration sleep) {
        return new BackendConfig(dataDir, bindHost, port, serverKeyStore, serverKeyStorePasswordFile, clientTrustAnchor,
                releaseTrustRoot, tenant, sleep, maxUploadBytes, maxSecurityEvents, issuingCaKeyStore, issuanceLog, revocationPort, downloadQuota, artifactDownloadLimit, offload, database);
    }

    /** @return a copy accepting archives up to {@code bytes} */
    public BackendConfig withMaxUploadBytes(long bytes) {
        return new BackendConfig(dataDir, bindHost, port, serverKeyStore, serverKeyStorePasswordFile, clientTrustAnchor,
                releaseTrustRoot, tenant, pollingSleep, bytes, maxSecurityEvents, issuingCaKeyStore, issuanceLog, revocationPort, downloadQuota, artifactDownloadLimit, offload, database);
    }

    /** @return a copy keeping at most {@code rows} security events */
    public BackendConfig withMaxSecurityEvents(long rows) {
        return new BackendConfig(dataDir, bindHost, port, serverKeyStore, serverKeyStorePasswordFile, clientTrustAnchor,
                releaseTrustRoot, tenant, pollingSleep, maxUploadBytes, rows, issuingCaKeyStore, issuanceLog, revocationPort, downloadQuota, artifactDownloadLimit, offload, database);
    }

    /** @return a copy limiting each device's downloads to {@code quota} */
    public BackendConfig withDownloadQuota(DownloadQuota quota) {
        return new BackendConfig(dataDir, bindHost, port, serverKeyStore, serverKeyStorePasswordFile, clientTrustAnchor,
                releaseTrustRoot, tenant, pollingSleep, maxUploadBytes, maxSecurityEvents, issuingCaKeyStore, issuanceLog,
                revocationPort, quota, artifactDownloadLimit, offload, database);
    }

    /** @return a copy allowing each device {@code limit} complete downloads of one artifact per window */
    public BackendConfig withArtifactDownloadLimit(ArtifactDownloadLimit limit) {
        return new BackendConfig(dataDir, bindHost, port, serverKeyStore, serverKeyStorePasswordFile, clientTrustAnchor,
                releaseTrustRoot, tenant, pollingSleep, maxUploadBytes, maxSecurityEvents, issuingCaKeyStore, issuanceLog,
                revocationPort, downloadQuota, limit, offload, database);
    }

    /** @return a copy linking payload downloads to {@code newOffload} ({@code null}: serve them itself) */
    public BackendConfig withOffload(DownloadOffload newOffload) {
        return new BackendConfig(dataDir, bindHost, port, serverKeyStore, serverKeyStorePasswordFile, clientTrustAnchor,
                releaseTrustRoot, tenant, pollingSleep, maxUploadBytes, maxSecurityEvents, issuingCaKeyStore, issuanceLog,
                revocationPort, downloadQuota, artifactDownloadLimit, newOffload, database);
    }

    /** @return a copy keeping its rows in {@code settings} */
    public BackendConfig withDatabase(DatabaseSettings settings) {
        return new BackendConfig(dataDir, bindHost, port, serverKeyStore, serverKeyStorePasswordFile, clientTrustAnchor,
                releaseTrustRoot, tenant, pollingSleep, maxUploadBytes, maxSecurityEvents, issuingCaKeyStore, issuanceLog,
                revocationPort, downloadQuota, artifactDownloadLimit, offload, settings);
    }

    /**
     * Checks values and files; {@link BackendServer#start} calls it before anything listens.
     *
     * @throws IllegalArgumentException naming the first problem found
     */
    public void validate() {
        require(port >= 0 && port <= 65535, "port must be 0..65535: " + port);
        require(TENANT.matcher(tenant).matches() && !tenant.equals("rest"), "tenant must be 1-64 of [A-Za-z0-9_-], not 'rest'");
        require(!pollingSleep.isNegative() && !pollingSleep.isZero() && pollingSleep.toHours() < 24,
                "polling sleep must be positive and under 24 hours");
        require(maxUploadBytes > 0, "max upload bytes must be positive");
        require(maxSecurityEvents > 0, "max security events must be positive");
        require(!bindHost.isBlank(), "bind host is blank");
        require(Files.isRegularFile(serverKeyStore), "server key store not found: " + serverKeyStore);
        require(Files.isRegularFile(serverKeyStorePasswordFile), "server key store password file not found: " + serverKeyStorePasswordFile);
        require(Files.isRegularFile(clientTrustAnchor), "client trust anchor not found: " + clientTrustAnchor);
        require(Files.isRegularFile(releaseTrustRoot), "release trust root not found: " + releaseTrustRoot);
        require(revocationPort >= 0 && revocationPort <= 65535, "revocation port must be 0..65535: " + revocationPort);
        require(issuingCaKeyStore != null && Files.isRegularFile(issuingCaKeyStore),
                "issuing CA key store not found (revocation needs it): " + issuingCaKeyStore);
        require(issuanceLog != null, "issuance log not configured");
        database.validate();
        if (offload != null) {
            offload.validate();
        }
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(problem);
        }
    }
}
