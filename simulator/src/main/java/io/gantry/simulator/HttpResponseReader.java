package io.gantry.simulator;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads one HTTP/1.1 response from a keep-alive connection: status line, headers, and a body framed
 * by {@code Content-Length} or chunked transfer coding (RFC 9112 6.3, 7.1). Only what the DDI API
 * answers; anything else is an {@link IOException}, never a guess.
 */
final class HttpResponseReader {
    private static final int MAX_LINE = 8192;

    private HttpResponseReader() {
    }

    /**
     * One response.
     *
     * @param status the status code
     * @param body the body, or empty when it went to a sink
     * @param bodyBytes how many body bytes arrived
     * @param close whether the server closes the connection after it
     */
    record Response(int status, byte[] body, long bodyBytes, boolean close) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * @param sink where the body goes; {@code null} keeps it in {@link Response#body()}
     * @param head whether the request was HEAD (no body whatever the headers say)
     */
    static Response read(InputStream in, OutputStream sink, boolean head) throws IOException {
        String status = line(in);
        if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
            throw new IOException("not an HTTP/1.1 status line: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header: " + h);
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        OutputStream out = sink != null ? sink : new ByteArrayOutputStream();
        long n = 0;
        if (head || code == 204 || code == 304) {
            n = 0;
        } else if (chunked) {
            for (long size = chunkSize(line(in)); size > 0; size = chunkSize(line(in))) {
                n += copy(in, out, size);
                if (!line(in).isEmpty()) {
                    throw new IOException("chunk not followed by CRLF");
                }
            }
            while (!line(in).isEmpty()) {
                // trailer fields: ignored
            }
        } else if (length >= 0) {
            n = copy(in, out, length);
        } else {
            throw new IOException("response " + code + " without Content-Length or chunked framing");
        }
        return new Response(code, sink != null ? new byte[0] : ((ByteArrayOutputStream) out).toByteArray(), n, close);
    }

    private static long chunkSize(String line) throws IOException {
        int semi = line.indexOf(';');
        try {
            return Long.parseLong((semi < 0 ? line : line.substring(0, semi)).trim(), 16);
        } catch (NumberFormatException e) {
            throw new IOException("bad chunk size: " + line, e);
        }
    }

    private static long copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buf = new byte[(int) Math.min(64 * 1024, Math.max(length, 1))];
        long left = length;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                throw new EOFException("body ended " + left + " bytes early");
            }
            out.write(buf, 0, r);
            left -= r;
        }
        return length;
    }

    /** @return one CRLF-terminated line without its CRLF */
    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder(64);
        for (int c = in.read(); ; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed mid-response");
            }
            if (c == '\n') {
                int end = b.length();
                if (end > 0 && b.charAt(end - 1) == '\r') {
                    b.setLength(end - 1);
                }
                return b.toString();
            }
            if (b.length() >= MAX_LINE) {
                throw new IOException("line longer than " + MAX_LINE);
            }
            b.append((char) c);
        }
    }
}
