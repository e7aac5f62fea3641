package io.gantry.simulator;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One device's persistent HTTP/1.1 connection over mutual TLS: requests go one after another on
 * the same socket (one full handshake per connection), reopened only if the server closes it. A
 * blocking socket per gateway thread costs the load generator the least CPU per request in Java.
 */
final class KeepAliveConnection implements AutoCloseable {
    private final SSLSocketFactory tls;
    private final String host;
    private final int port;
    private SSLSocket socket;
    private BufferedInputStream in;
    private OutputStream out;
    private int opened;

    KeepAliveConnection(SSLSocketFactory tls, String host, int port) {
        this.tls = tls;
        this.host = host;
        this.port = port;
    }

    /** @return how many times a connection was opened (1 when keep-alive held throughout) */
    int opened() {
        return opened;
    }

    /**
     * Sends one request and reads its response.
     *
     * @param body the request body, or {@code null}
     * @param sink where a response body goes, or {@code null} to keep it
     */
    HttpResponseReader.Response exchange(String method, String path, byte[] body, OutputStream sink) throws IOException {
        if (socket == null) {
            open();
        }
        StringBuilder h = new StringBuilder(160).append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                .append(host).append(':').append(port).append("\r\nAccept: application/hal+json, application/json, */*\r\n");
        if (body != null) {
            h.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        h.append("\r\n");
        try {
            out.write(h.toString().getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            HttpResponseReader.Response r = HttpResponseReader.read(in, sink, method.equals("HEAD"));
            if (r.close()) {
                close();
            }
            return r;
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private void open() throws IOException {
        SSLSocket s = (SSLSocket) tls.createSocket(host, port);
        javax.net.ssl.SSLParameters params = s.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS"); // the server certificate must name the host
        s.setSSLParameters(params);
        s.setTcpNoDelay(true);
        s.setSoTimeout(30_000);
        s.startHandshake();
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
        out = new BufferedOutputStream(s.getOutputStream(), 4 * 1024);
        opened++;
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing: nothing left to do
            }
            socket = null;
        }
    }
}
