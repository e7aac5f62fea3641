package io.gantry.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpResponseReaderTest {
    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void readsTwoKeepAliveResponsesBackToBack() throws IOException {
        InputStream in = stream("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 410 Gone\r\ncontent-length: 2\r\n\r\n{}");
        HttpResponseReader.Response a = HttpResponseReader.read(in, null, false);
        HttpResponseReader.Response b = HttpResponseReader.read(in, null, false);
        assertEquals(200, a.status());
        assertEquals("hello", a.text());
        assertEquals(410, b.status());
        assertEquals("{}", b.text());
        assertEquals(-1, in.read(), "nothing read beyond the second body");
    }

    @Test
    void decodesChunkedBodyWithExtensionAndTrailer() throws IOException {
        InputStream in = stream("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nWiki\r\n5\r\npedia\r\n0\r\nT: 1\r\n\r\n");
        HttpResponseReader.Response r = HttpResponseReader.read(in, null, false);
        assertEquals("Wikipedia", r.text());
        assertEquals(9, r.bodyBytes());
    }

    @Test
    void streamsBodyToSinkAndNotesConnectionClose() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        HttpResponseReader.Response r = HttpResponseReader.read(stream("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 3\r\n\r\nabc"),
                sink, false);
        assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), sink.toByteArray());
        assertEquals(0, r.body().length);
        assertTrue(r.close());
    }

    @Test
    void headHasNoBodyWhateverContentLengthSays() throws IOException {
        InputStream in = stream("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
        assertEquals(0, HttpResponseReader.read(in, null, true).bodyBytes());
        assertEquals(204, HttpResponseReader.read(in, null, false).status());
    }

    @Test
    void refusesTruncatedBodyAndUnframedResponse() {
        assertThrows(EOFException.class, () -> HttpResponseReader.read(stream("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"), null, false));
        assertThrows(IOException.class, () -> HttpResponseReader.read(stream("HTTP/1.1 200 OK\r\n\r\nabc"), null, false));
        assertThrows(IOException.class, () -> HttpResponseReader.read(stream("HTTP/1.0 200 OK\r\n\r\n"), null, false));
    }
}
