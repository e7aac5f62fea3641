package io.gantry.counter.pkcs11.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a token PIN from a file, as the keystore bundle does (bundles are private, so each keeps its
 * own copy). Configuration names the file, never the PIN; intermediate buffers are zeroed and the
 * caller zeroes the result.
 */
final class PinFiles {
    private PinFiles() {
    }

    /**
     * @return the file's content without surrounding whitespace (a trailing newline is common)
     * @throws IOException if the file cannot be read or is empty
     */
    static char[] read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
        Arrays.fill(bytes, (byte) 0);
        int from = chars.position();
        int to = chars.limit();
        while (from < to && Character.isWhitespace(chars.get(from))) {
            from++;
        }
        while (to > from && Character.isWhitespace(chars.get(to - 1))) {
            to--;
        }
        char[] pin = new char[to - from];
        chars.get(from, pin);
        Arrays.fill(chars.array(), '\0');
        if (pin.length == 0) {
            throw new IOException("PIN file is empty: " + file);
        }
        return pin;
    }
}
