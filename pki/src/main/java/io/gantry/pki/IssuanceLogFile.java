package io.gantry.pki;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * {@code issued.log} in the PKI folder: one JSON object per line,
 * {@code {"serial":"<hex>","role":"devices","subject":"CN=...","certificate":"<base64 DER>"}}, appended
 * (and forced to disk) for each certificate the offline CLI issues. Serial and subject are for
 * people reading the file; a reader trusts only the certificate, whose signature the backend
 * checks on import.
 */
public final class IssuanceLogFile implements IssuanceLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    /** @param file the log (created on first issuance) */
    public IssuanceLogFile(Path file) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
    }

    /** One line of the log. @param certificate the issued certificate @param role its role */
    public record Entry(X509Certificate certificate, String role) {
    }

    /** What {@link #readFrom} found: complete lines and the offset after the last one. */
    public record Chunk(List<Entry> entries, long nextOffset) {
    }

    @Override
    public synchronized void issued(X509Certificate certificate, String role) throws IOException {
        ObjectNode line = JSON.createObjectNode()
                .put("serial", certificate.getSerialNumber().toString(16))
                .put("role", role)
                .put("subject", certificate.getSubjectX500Principal().getName());
        try {
            line.put("certificate", Base64.getEncoder().encodeToString(certificate.getEncoded()));
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IOException("cannot encode certificate " + certificate.getSerialNumber().toString(16), e);
        }
        Files.createDirectories(file.getParent());
        // One write of a whole line with O_APPEND: concurrent writers never interleave within a line.
        byte[] bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    /**
     * Reads the complete lines from byte {@code offset} on; a last line without its newline (being
     * written) is left for the next read.
     *
     * @throws IOException if the file cannot be read or a complete line is not a valid entry
     */
    public Chunk readFrom(long offset) throws IOException {
        if (!Files.exists(file)) {
            return new Chunk(List.of(), offset);
        }
        byte[] all;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size <= offset) {
                return new Chunk(List.of(), offset);
            }
            ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(size - offset));
            while (buf.hasRemaining() && ch.read(buf, offset + buf.position()) > 0) {
                // keep reading until the snapshot size is filled
            }
            all = buf.array();
        }
        List<Entry> entries = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                entries.add(parse(new String(all, start, i - start, StandardCharsets.UTF_8), offset + start));
                start = i + 1;
            }
        }
        return new Chunk(entries, offset + start);
    }

    private Entry parse(String line, long at) throws IOException {
        try {
            JsonNode node = JSON.readTree(line);
            byte[] der = Base64.getDecoder().decode(node.path("certificate").asText());
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            return new Entry(cert, node.path("role").asText());
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(file + " at byte " + at + ": not an issuance record: " + e.getMessage(), e);
        }
    }
}
