package io.gantry.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.gantry.api.release.PayloadInfo;
import io.gantry.release.PayloadCheck;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fast checks of the benchmark inputs; the benchmarks themselves run only from benchmarks.jar. */
class PayloadFileTest {
    @TempDir
    Path dir;

    @Test
    void describesTheBytesItWritesAndIsDeterministic() throws Exception {
        long size = 3L * PayloadFile.BUFFER + 123;
        PayloadInfo a = PayloadFile.write(dir.resolve("a.bin"), "a.bin", size);
        PayloadInfo b = PayloadFile.write(dir.resolve("b.bin"), "b.bin", size);
        byte[] bytes = Files.readAllBytes(dir.resolve("a.bin"));
        assertEquals(size, bytes.length);
        assertEquals(size, a.size());
        assertEquals(HexFormat.of().formatHex(PayloadFile.sha256().digest(bytes)), a.sha256());
        assertEquals(a.sha256(), b.sha256());
        assertArrayEquals(bytes, Files.readAllBytes(dir.resolve("b.bin")));
        // every chunk carries its index, so no two chunks are equal
        byte[] first = Arrays.copyOfRange(bytes, 0, PayloadFile.BUFFER);
        byte[] second = Arrays.copyOfRange(bytes, PayloadFile.BUFFER, 2 * PayloadFile.BUFFER);
        assertFalse(Arrays.equals(first, second));
        assertEquals(1, second[7]);
    }

    @Test
    void payloadCheckAcceptsTheGeneratedPayload() throws Exception {
        PayloadInfo info = PayloadFile.write(dir.resolve("p.bin"), "p.bin", 1 << 20);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(dir.resolve("p.bin"))) {
            PayloadCheck.copyVerified(info, in, copy);
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("p.bin")), copy.toByteArray());
    }

    @Test
    void rawReferenceUsesPayloadChecksBufferSize() throws Exception {
        Field buffer = PayloadCheck.class.getDeclaredField("BUFFER");
        buffer.setAccessible(true);
        assertEquals(buffer.getInt(null), PayloadFile.BUFFER, "rawSha256 must read with PayloadCheck's buffer size");
    }

    @Test
    void reportTakesMediansAndLabelsSizes() {
        assertEquals(2.0, BenchReport.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, BenchReport.median(List.of(4.0, 1.0, 2.0, 3.0)));
        assertEquals("1 MiB", BenchReport.sizeLabel(1 << 20));
        assertEquals("100 MiB", BenchReport.sizeLabel(100L << 20));
        assertEquals("1 GiB", BenchReport.sizeLabel(1L << 30));
    }
}
