package io.gantry.backend.ddi;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One satisfiable byte range of a representation (RFC 9110, 14.1.2). Only a single range is
 * served; a multi-range or syntactically invalid header is ignored and the whole content sent,
 * which section 14.2 permits.
 *
 * @param first offset of the first byte
 * @param last offset of the last byte, inclusive
 */
public record ByteRange(long first, long last) {
    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");

    /** @return how many bytes the range covers */
    public long length() {
        return last - first + 1;
    }

    /** @return the {@code Content-Range} value for a representation of {@code size} bytes */
    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /**
     * @param header the {@code Range} header, may be {@code null}
     * @param size the representation's size
     * @return the range to send, or empty to send everything
     * @throws NotSatisfiableException if the range starts beyond the end
     */
    public static Optional<ByteRange> parse(String header, long size) throws NotSatisfiableException {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = SINGLE.matcher(header.strip());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return Optional.empty();
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || size == 0) {
                    throw new NotSatisfiableException();
                }
                return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (first >= size) {
                throw new NotSatisfiableException();
            }
            return first > last ? Optional.empty() : Optional.of(new ByteRange(first, last));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The range starts at or beyond the end of the content (answer 416). */
    public static final class NotSatisfiableException extends Exception {
        private static final long serialVersionUID = 1L;

        NotSatisfiableException() {
            super("range not satisfiable", null, false, false);
        }
    }
}
