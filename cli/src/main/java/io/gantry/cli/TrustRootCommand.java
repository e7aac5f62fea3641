package io.gantry.cli;

import io.gantry.api.tls.BackendTlsPolicy;
import io.gantry.api.tls.RevocationPolicy;
import io.gantry.api.verify.ReleaseRejectedException;
import io.gantry.release.PemFiles;
import io.gantry.release.ReleaseSignature;
import io.gantry.release.ReleaseSigning;
import io.gantry.release.TrustRoot;
import io.gantry.release.TrustRootBuilder;
import io.gantry.release.TrustRootFiles;
import io.gantry.release.TrustRootJson;
import io.gantry.release.TrustRootRotation;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The release trust root: create, sign (one root key holder at a time), verify (incl. rotation). */
@Command(name = "trust-root", description = "Create, sign and verify the release trust root (docs/release-format.md).")
final class TrustRootCommand {

    @Command(name = "create", description = "Write an unsigned trust-root.json from named public keys and roles.")
    int create(@Option(names = "--out", required = true, description = "trust-root.json to write") Path out,
            @Option(names = "--version", defaultValue = "1", description = "trust root version; a rotation is exactly the current one + 1 (default ${DEFAULT-VALUE})") long version,
            @Option(names = "--expires-days", defaultValue = "365", description = "days until it expires (default ${DEFAULT-VALUE})") long days,
            @Option(names = "--key", required = true, description = "NAME=public-key.pem (repeatable)") Map<String, Path> keys,
            @Option(names = "--root", required = true, description = "root role: THRESHOLD:NAME,NAME,...") String root,
            @Option(names = "--releases", required = true, description = "release role of a major version: MAJOR:THRESHOLD:NAME,... (repeatable)") List<String> releases,
            @Option(names = "--vendor", description = "vendor delegation NAME:THRESHOLD:KEYS:TARGETS:BUNDLES, lists comma-separated (repeatable)") List<String> vendors,
            @Option(names = "--revoke", description = "key NAME that counts zero everywhere (repeatable)") List<String> revoked,
            @Option(names = "--tls-pin-cert", description = "PEM file of CA certificates whose keys the gateway pins for the"
                    + " backend's TLS chain (repeatable; docs/gateway.md, Backend TLS policy)") List<Path> tlsPinCerts,
            @Option(names = "--tls-revocation", defaultValue = "hard-fail", description = "hard-fail or soft-fail"
                    + " (with --tls-pin-cert; default ${DEFAULT-VALUE})") String tlsRevocation,
            @Option(names = "--reset-trusted-time", description = "recovery only: gateways that accept this root start"
                    + " trusted time again from their clock (docs/release-format.md, Trusted time)") boolean resetTrustedTime)
            throws Exception {
        TrustRootBuilder b = new TrustRootBuilder(version, Clock.systemUTC().instant().plus(Duration.ofDays(days)));
        for (Map.Entry<String, Path> k : keys.entrySet()) {
            b.key(k.getKey(), PemFiles.readPublicKey(k.getValue()));
        }
        String[] r = root.split(":", 2);
        b.root(Integer.parseInt(r[0]), r[1].split(","));
        for (String rel : releases) {
            String[] p = rel.split(":", 3);
            b.releases(Integer.parseInt(p[0]), Integer.parseInt(p[1]), p[2].split(","));
        }
        for (String v : vendors == null ? List.<String>of() : vendors) {
            String[] p = v.split(":", 5);
            b.vendor(p[0], Integer.parseInt(p[1]), set(p[3]), set(p[4]), p[2].split(","));
        }
        for (String name : revoked == null ? List.<String>of() : revoked) {
            b.revoke(name);
        }
        if (tlsPinCerts != null && !tlsPinCerts.isEmpty()) {
            b.tls(new BackendTlsPolicy(TlsPins.of(tlsPinCerts), RevocationPolicy.fromId(tlsRevocation)));
        }
        if (resetTrustedTime) {
            b.resetTrustedTime();
        }
        TrustRoot built = b.build();
        built.validate(1);
        TrustRootFiles.write(out, TrustRootJson.write(built), List.of());
        System.out.println("wrote " + out + " (version " + version + ", unsigned: each root key holder runs 'trust-root sign')");
        return 0;
    }

    @Command(name = "sign", description = "Add one root key holder's signature to trust-root.json.")
    int sign(@Option(names = "--key", description = "signing key .p12") Path key,
            @Option(names = "--pkcs11", description = "token config properties file (docs/keys.md)") Path pkcs11,
            @Option(names = "--key-alias", description = "signing key on the token") String keyAlias,
            @Parameters(paramLabel = "TRUST_ROOT_JSON", description = "trust-root.json; the signature goes to trust-root.sigs.json beside it") Path json) throws Exception {
        KeyPair pair = SigningKeyChoice.load(key, pkcs11, keyAlias);
        byte[] bytes = TrustRootFiles.read(json).bytes();
        ReleaseSignature sig = ReleaseSigning.sign(bytes, pair.getPrivate(), pair.getPublic());
        TrustRootFiles.addSignature(json, sig);
        System.out.println("signed " + json + " with key " + sig.keyId());
        return 0;
    }

    @Command(name = "verify", description = "Check a trust root's own root threshold, or its rotation from --previous.")
    int verify(@Option(names = "--previous", description = "the trust root it replaces") Path previous,
            @Option(names = "--minimum-threshold", defaultValue = "2", description = "smallest role threshold accepted, as the gateway's minimumThreshold (default ${DEFAULT-VALUE})") int minimum,
            @Parameters(paramLabel = "TRUST_ROOT_JSON", description = "trust-root.json, signatures beside it") Path json) throws Exception {
        TrustRootFiles.Signed next = TrustRootFiles.read(json);
        try {
            TrustRoot root;
            if (previous == null) {
                root = TrustRootRotation.acceptInitial(next.bytes(), next.signatures(), Clock.systemUTC().instant(), minimum);
            } else {
                TrustRootFiles.Signed old = TrustRootFiles.read(previous);
                TrustRoot current = TrustRootRotation.acceptStored(old.bytes(), old.signatures(), minimum);
                root = TrustRootRotation.rotate(current, next.bytes(), next.signatures(), Clock.systemUTC().instant(), minimum);
            }
            System.out.println("VERIFIED trust root version " + root.version() + ", expires " + root.expires());
            return 0;
        } catch (ReleaseRejectedException e) {
            System.out.println("REJECTED " + e.code() + ": " + e.getMessage());
            return GantryCli.REJECTED;
        }
    }

    private static Set<String> set(String commaList) {
        return commaList.isBlank() ? Set.of() : Set.copyOf(Arrays.asList(commaList.split(",")));
    }

}
