package io.gantry.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.api.tls.BackendTlsPolicy;
import io.gantry.api.tls.RevocationPolicy;
import io.gantry.api.verify.MalformedReleaseException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Canonical writer and strict parser of {@code trust-root.json} (schema {@code gantry.trust-root/1}). */
public final class TrustRootJson {
    /** The schema identifier. */
    public static final String SCHEMA = "gantry.trust-root/1";

    private TrustRootJson() {
    }

    /** @return compact JSON with sorted keys and role members, so equal roots have equal bytes */
    public static byte[] write(TrustRoot root) {
        ObjectNode doc = MetadataJson.MAPPER.createObjectNode();
        doc.put("schema", SCHEMA).put("version", root.version()).put("expires", root.expires().toString());
        ObjectNode keys = doc.putObject("keys");
        new TreeMap<>(root.keys()).forEach((id, k) -> keys.putObject(id).put("name", k.name())
                .put("scheme", k.scheme().id())
                .put("publicKey", Base64.getEncoder().encodeToString(k.publicKey().getEncoded())));
        ObjectNode roles = doc.putObject("roles");
        writeRole(roles.putObject("root"), root.root());
        ArrayNode releases = roles.putArray("releases");
        new TreeMap<>(root.releases()).forEach((major, r) -> writeRole(releases.addObject().put("major", major), r));
        ArrayNode vendors = roles.putArray("vendors");
        for (Role v : root.vendors()) {
            ObjectNode n = vendors.addObject().put("name", v.name().substring("vendor/".length()));
            writeRole(n, v);
            new TreeSet<>(v.targets()).forEach(n.putArray("targets")::add);
            new TreeSet<>(v.bundles()).forEach(n.putArray("bundles")::add);
        }
        ArrayNode revoked = doc.putArray("revokedKeyIds");
        new TreeSet<>(root.revokedKeyIds()).forEach(revoked::add);
        if (root.tls() != null) {
            ObjectNode tls = doc.putObject("tls");
            new TreeSet<>(root.tls().pinnedSpkiSha256()).forEach(tls.putArray("pinnedSpkiSha256")::add);
            tls.put("revocation", root.tls().revocation().id());
        }
        if (root.resetsTrustedTime()) {
            doc.put("resetTrustedTime", true);
        }
        try {
            return MetadataJson.MAPPER.writeValueAsBytes(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeRole(ObjectNode n, Role r) {
        n.put("threshold", r.threshold());
        new TreeSet<>(r.keyIds()).forEach(n.putArray("keyIds")::add);
    }

    /** @throws MalformedReleaseException if the bytes break any rule of the schema */
    public static TrustRoot parse(byte[] bytes) throws MalformedReleaseException {
        if (bytes.length > 256 * 1024) {
            throw new MalformedReleaseException("trust root exceeds 256 KiB");
        }
        try {
            JsonNode doc = MetadataJson.MAPPER.readTree(bytes);
            // "tls" and "resetTrustedTime" are optional: roots written before they existed stay valid.
            List<String> fields = new ArrayList<>(List.of("schema", "version", "expires", "keys", "roles", "revokedKeyIds"));
            for (String optional : List.of("tls", "resetTrustedTime")) {
                if (doc != null && doc.has(optional)) {
                    fields.add(optional);
                }
            }
            Json.exactFields(doc, "trust root", fields.toArray(new String[0]));
            if (!SCHEMA.equals(Json.text(doc, "schema"))) {
                throw new MalformedReleaseException("unsupported trust root schema " + doc.get("schema"));
            }
            Map<String, TrustedKey> keys = keys(doc.get("keys"));
            JsonNode roles = doc.get("roles");
            Json.exactFields(roles, "roles", "root", "releases", "vendors");
            Role root = role("root", roles.get("root"), "threshold", "keyIds");
            Map<Integer, Role> releases = new LinkedHashMap<>();
            for (JsonNode r : Json.array(roles, "releases")) {
                int major = Json.int32(r, "major", 0, Integer.MAX_VALUE);
                if (releases.put(major, role("releases/" + major, r, "major", "threshold", "keyIds")) != null) {
                    throw new MalformedReleaseException("two release roles for major version " + major);
                }
            }
            List<Role> vendors = new ArrayList<>();
            for (JsonNode v : Json.array(roles, "vendors")) {
                Role base = role("vendor/" + Json.text(v, "name"), v, "name", "threshold", "keyIds", "targets", "bundles");
                vendors.add(new Role(base.name(), base.threshold(), base.keyIds(), Json.strings(v, "targets"),
                        Json.strings(v, "bundles")));
            }
            return new TrustRoot(Json.integer(doc, "version", 1, Long.MAX_VALUE), Instant.parse(Json.text(doc, "expires")),
                    keys, root, releases, vendors, Json.strings(doc, "revokedKeyIds"), doc.has("tls") ? tls(doc.get("tls")) : null,
                    doc.has("resetTrustedTime") && resetFlag(doc.get("resetTrustedTime")));
        } catch (IOException e) {
            throw new MalformedReleaseException("trust root is not strict JSON: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new MalformedReleaseException("trust root field invalid: " + e.getMessage());
        }
    }

    /** Present only as {@code true}: a {@code false} would be a second spelling of its absence. */
    private static boolean resetFlag(JsonNode n) throws MalformedReleaseException {
        if (!n.isBoolean() || !n.booleanValue()) {
            throw new MalformedReleaseException("field resetTrustedTime must be true when present");
        }
        return true;
    }

    /** {@code {"pinnedSpkiSha256":["<hex>",...],"revocation":"hard-fail"|"soft-fail"}}, at least one pin. */
    private static BackendTlsPolicy tls(JsonNode n) throws MalformedReleaseException {
        Json.exactFields(n, "tls", "pinnedSpkiSha256", "revocation");
        // The record refuses no pins, pins that are not lower-case hex SHA-256, and unknown policies.
        return new BackendTlsPolicy(Json.strings(n, "pinnedSpkiSha256"), RevocationPolicy.fromId(Json.text(n, "revocation")));
    }

    private static Role role(String name, JsonNode n, String... fields) throws MalformedReleaseException {
        Json.exactFields(n, "role " + name, fields);
        return new Role(name, Json.int32(n, "threshold", 0, Integer.MAX_VALUE), Json.strings(n, "keyIds"), Set.of(), Set.of());
    }

    private static Map<String, TrustedKey> keys(JsonNode node) throws MalformedReleaseException {
        if (node == null || !node.isObject()) {
            throw new MalformedReleaseException("keys must be an object");
        }
        Map<String, TrustedKey> keys = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode k = e.getValue();
            Json.exactFields(k, "key " + e.getKey(), "name", "scheme", "publicKey");
            SignatureScheme scheme = SignatureScheme.fromId(Json.text(k, "scheme"));
            PublicKey pub = publicKey(scheme, Base64.getDecoder().decode(Json.text(k, "publicKey")));
            if (!KeyIds.of(pub).equals(e.getKey())) {
                throw new MalformedReleaseException("key id " + e.getKey() + " is not the SHA-256 of its public key");
            }
            keys.put(e.getKey(), new TrustedKey(e.getKey(), Json.text(k, "name"), scheme, pub));
        }
        return keys;
    }

    private static PublicKey publicKey(SignatureScheme scheme, byte[] spki) throws MalformedReleaseException {
        try {
            String alg = scheme.isEcdsa() ? "EC" : "RSA";
            PublicKey key = KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(spki));
            scheme.requireFits(key);
            return key;
        } catch (GeneralSecurityException e) {
            throw new MalformedReleaseException("public key does not fit " + scheme.id() + ": " + e.getMessage());
        }
    }
}
