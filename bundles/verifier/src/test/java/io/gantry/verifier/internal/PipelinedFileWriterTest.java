package io.gantry.verifier.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PipelinedFileWriterTest {
    @Test
    void writesEveryByteInOrderAcrossBufferBoundaries() throws Exception {
        byte[] data = new byte[PipelinedFileWriter.BUFFER_SIZE * 20 + 123];
        new Random(7).nextBytes(data);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (PipelinedFileWriter w = new PipelinedFileWriter(sink, "test")) {
            int off = 0;
            int[] sizes = {1, 100, PipelinedFileWriter.BUFFER_SIZE * 3, 4096, 70_000};
            for (int i = 0; off < data.length; i++) {
                int n = Math.min(sizes[i % sizes.length], data.length - off);
                w.write(data, off, n);
                off += n;
            }
        }
        assertArrayEquals(data, sink.toByteArray());
    }

    @Test
    void aFailingTargetSurfacesInsteadOfBlockingTheHashingThread() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("disk full");
            }
        };
        IOException e = assertThrows(IOException.class, () -> {
            try (PipelinedFileWriter w = new PipelinedFileWriter(broken, "test")) {
                byte[] chunk = new byte[PipelinedFileWriter.BUFFER_SIZE];
                for (int i = 0; i < 1000; i++) {
                    w.write(chunk, 0, chunk.length);
                }
            }
        });
        assertTrue(e.getMessage().contains("disk full"), e.getMessage());
    }
}
