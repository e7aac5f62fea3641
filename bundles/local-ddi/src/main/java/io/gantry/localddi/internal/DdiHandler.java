package io.gantry.localddi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The minimal hawkBit DDI v1 a stock SWUpdate suricatta client needs, for the devices this gateway
 * knows: poll base, deploymentBase (one chunk, one artifact with sha1, md5 and sha256), download
 * (whole or from an offset), md5sum, feedback; configData is accepted and ignored. A device is its
 * client certificate: its CN must equal the controller id in the path. Before anything else, on
 * every request, the certificate's revocation is checked ({@link DeviceCrlCache}): a revoked or
 * unknown one is answered 403 with its code and logged.
 */
final class DdiHandler implements HttpHandler {
    private static final System.Logger LOG = System.getLogger(DdiHandler.class.getName());
    private static final Pattern PATH = Pattern.compile("/([^/]+)/controller/v1/([^/]+)(/.*)?");
    private static final Pattern DEPLOYMENT = Pattern.compile("/deploymentBase/(\\d+)");
    private static final Pattern FEEDBACK = Pattern.compile("/deploymentBase/(\\d+)/feedback");
    private static final Pattern ARTIFACT = Pattern.compile("/softwaremodules/(\\d+)/artifacts/([^/]+?)(\\.MD5SUM)?");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");
    /** Largest feedback body read. */
    static final int MAX_BODY = 64 * 1024;
    private final ObjectMapper json = new ObjectMapper();
    private final String tenant;
    private final Set<String> devices;
    private final DeviceOffers offers;
    private final ArtifactCache cache;
    private final int pollSeconds;
    private final DeviceCrlCache revocation;
    private final List<X509Certificate> deviceCas;

    DdiHandler(String tenant, Set<String> devices, DeviceOffers offers, ArtifactCache cache, int pollSeconds,
            DeviceCrlCache revocation, List<X509Certificate> deviceCas) {
        this.revocation = revocation;
        this.deviceCas = List.copyOf(deviceCas);
        this.tenant = tenant;
        this.devices = Set.copyOf(devices);
        this.offers = offers;
        this.cache = cache;
        this.pollSeconds = pollSeconds;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            List<X509Certificate> chain = peerChain(ex);
            if (chain.isEmpty()) {
                send(ex, 403, "no client certificate");
                return;
            }
            try {
                // On every request, not only at the handshake: a kept-alive connection outlives a revocation.
                revocation.check(chain, deviceCas);
            } catch (DeviceCertificateRefusedException e) {
                LOG.log(System.Logger.Level.WARNING, "device certificate refused: {0}: {1}", e.code(), e.getMessage());
                send(ex, 403, e.code() + ": " + e.getMessage());
                return;
            }
            Matcher m = PATH.matcher(ex.getRequestURI().getPath());
            if (!m.matches() || !m.group(1).equals(tenant)) {
                send(ex, 404, "unknown path");
                return;
            }
            String device = m.group(2);
            if (!devices.contains(device)) {
                send(ex, 404, "unknown controller " + device);
                return;
            }
            String cn = commonName(chain.get(0));
            if (!device.equals(cn)) {
                LOG.log(System.Logger.Level.WARNING, "client certificate CN {0} asked for controller {1}: refused", cn, device);
                send(ex, 403, "the client certificate does not belong to controller " + device);
                return;
            }
            route(ex, device, m.group(3) == null ? "" : m.group(3));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "local DDI request failed: {0}", e.toString());
            throw e;
        }
    }

    private void route(HttpExchange ex, String device, String rest) throws IOException {
        String method = ex.getRequestMethod();
        Matcher m;
        if (rest.isEmpty() && method.equals("GET")) {
            poll(ex, device);
        } else if ((m = DEPLOYMENT.matcher(rest)).matches() && method.equals("GET")) {
            deployment(ex, device, Long.parseLong(m.group(1)));
        } else if ((m = FEEDBACK.matcher(rest)).matches() && method.equals("POST")) {
            feedback(ex, device, Long.parseLong(m.group(1)));
        } else if ((m = ARTIFACT.matcher(rest)).matches() && (method.equals("GET") || method.equals("HEAD"))) {
            artifact(ex, device, Long.parseLong(m.group(1)), m.group(2), m.group(3) != null);
        } else if (rest.equals("/configData") && method.equals("PUT")) {
            ex.getRequestBody().readNBytes(MAX_BODY);
            send(ex, 200, "");
        } else {
            send(ex, 404, "no such resource");
        }
    }

    private void poll(HttpExchange ex, String device) throws IOException {
        ObjectNode root = json.createObjectNode();
        root.putObject("config").putObject("polling").put("sleep", hhmmss(pollSeconds));
        ObjectNode links = root.putObject("_links");
        offers.current(device).ifPresent(o -> links.putObject("deploymentBase")
                .put("href", base(ex, device) + "/deploymentBase/" + o.actionId() + "?c=" + o.artifact().sha256().substring(0, 12)));
        sendJson(ex, root);
    }

    private void deployment(HttpExchange ex, String device, long actionId) throws IOException {
        DeviceOffers.Offer o = offers.current(device).filter(x -> x.actionId() == actionId).orElse(null);
        if (o == null) {
            send(ex, 404, "no such action for " + device);
            return;
        }
        ObjectNode root = json.createObjectNode();
        root.put("id", Long.toString(o.actionId()));
        ObjectNode d = root.putObject("deployment");
        d.put("download", "forced");
        d.put("update", "forced");
        ObjectNode chunk = d.putArray("chunks").addObject();
        chunk.put("part", "os");
        chunk.put("name", o.name());
        chunk.put("version", o.version());
        ArrayNode artifacts = chunk.putArray("artifacts");
        ObjectNode a = artifacts.addObject();
        a.put("filename", o.filename());
        a.putObject("hashes").put("sha1", o.artifact().sha1()).put("md5", o.artifact().md5())
                .put("sha256", o.artifact().sha256());
        a.put("size", o.artifact().size());
        String href = base(ex, device) + "/softwaremodules/" + o.actionId() + "/artifacts/" + o.filename();
        ObjectNode l = a.putObject("_links");
        l.putObject("download").put("href", href);
        l.putObject("md5sum").put("href", href + ".MD5SUM");
        sendJson(ex, root);
    }

    private void feedback(HttpExchange ex, String device, long actionId) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            send(ex, 413, "feedback larger than " + MAX_BODY + " bytes");
            return;
        }
        JsonNode status;
        try {
            status = json.readTree(body).path("status");
        } catch (IOException e) {
            send(ex, 400, "feedback is not JSON");
            return;
        }
        String execution = status.path("execution").asText("");
        if (execution.isEmpty()) {
            send(ex, 400, "feedback without status.execution");
            return;
        }
        List<String> details = new ArrayList<>();
        status.path("details").forEach(n -> details.add(n.asText()));
        String finished = status.path("result").path("finished").asText("none");
        if (!offers.feedback(device, actionId, execution, finished, details)) {
            send(ex, 410, "action " + actionId + " is not open for " + device);
            return;
        }
        send(ex, 200, "");
    }

    private void artifact(HttpExchange ex, String device, long actionId, String filename, boolean md5sum) throws IOException {
        DeviceOffers.Offer o = offers.current(device).filter(x -> x.actionId() == actionId && x.filename().equals(filename))
                .orElse(null);
        if (o == null) {
            send(ex, 404, "no such artifact for " + device);
            return;
        }
        try (ArtifactCache.Served served = cache.open(o.artifact().sha256())) {
            if (md5sum) {
                send(ex, 200, served.artifact().md5() + "  " + filename + "\n");
                return;
            }
            long size = served.artifact().size();
            long from = 0;
            String range = ex.getRequestHeaders().getFirst("Range");
            Matcher r = range == null ? null : RANGE.matcher(range.trim());
            if (r != null && r.matches()) {
                from = Long.parseLong(r.group(1));
                if (from >= size) {
                    ex.getResponseHeaders().set("Content-Range", "bytes */" + size);
                    send(ex, 416, "");
                    return;
                }
            }
            ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
            ex.getResponseHeaders().set("Accept-Ranges", "bytes");
            if (from > 0) {
                ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (size - 1) + "/" + size);
            }
            boolean head = ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(from > 0 ? 206 : 200, head ? -1 : size - from);
            if (!head) {
                try (OutputStream out = ex.getResponseBody()) {
                    served.copyTo(from, out);
                }
                LOG.log(System.Logger.Level.INFO, "served {0} ({1} bytes from {2}) to {3}", filename, Long.toString(size),
                        Long.toString(from), device);
            }
        } catch (IOException e) {
            // A changed cache entry is never sent; the agent's wait for this device ends in its timeout.
            LOG.log(System.Logger.Level.ERROR, "refused to serve {0} to {1}: {2}", filename, device, e.getMessage());
            send(ex, 500, "artifact unavailable");
        }
    }

    /** @return the chain the client presented, leaf first; empty without TLS or a certificate */
    private static List<X509Certificate> peerChain(HttpExchange ex) {
        if (!(ex instanceof HttpsExchange https)) {
            return List.of();
        }
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : https.getSSLSession().getPeerCertificates()) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    private static String commonName(X509Certificate leaf) {
        try {
            for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }

    private static String base(HttpExchange ex, String device) {
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null) {
            host = ex.getLocalAddress().getHostString() + ":" + ex.getLocalAddress().getPort();
        }
        String[] p = ex.getRequestURI().getPath().split("/");
        return "https://" + host + "/" + p[1] + "/controller/v1/" + device;
    }

    private void sendJson(HttpExchange ex, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/hal+json");
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static void send(HttpExchange ex, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        }
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
    }

    static String hhmmss(int seconds) {
        return String.format("%02d:%02d:%02d", seconds / 3600, (seconds / 60) % 60, seconds % 60);
    }
}
