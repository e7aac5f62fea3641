package io.gantry.rollback.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes STORED zip files whose central directory may list other entries than the local headers
 * (PKWARE APPNOTE 4.3.7 local header, 4.3.12 central directory header, 4.3.16 end record):
 * what {@code ZipOutputStream} refuses to make, and an attacker makes by hand.
 */
final class CraftedZip {
    private record Local(String name, byte[] data, int offset, long crc) {
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Local> locals = new ArrayList<>();

    /** Appends a local header and its data; returns its index for {@link #finish}. */
    int add(String name, byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer h = le(30 + n.length);
        h.putInt(0x04034b50).putShort((short) 10).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0).putInt((int) crc.getValue()).putInt(data.length).putInt(data.length)
                .putShort((short) n.length).putShort((short) 0).put(n);
        locals.add(new Local(name, data, out.size(), crc.getValue()));
        out.writeBytes(h.array());
        out.writeBytes(data);
        return locals.size() - 1;
    }

    /** Writes a central directory listing only the local entries at {@code indexes}, in that order. */
    byte[] finish(int... indexes) {
        int start = out.size();
        for (int i : indexes) {
            Local l = locals.get(i);
            byte[] n = l.name().getBytes(StandardCharsets.UTF_8);
            ByteBuffer c = le(46 + n.length);
            c.putInt(0x02014b50).putShort((short) 20).putShort((short) 10).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt((int) l.crc()).putInt(l.data().length)
                    .putInt(l.data().length).putShort((short) n.length).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0).putInt(l.offset()).put(n);
            out.writeBytes(c.array());
        }
        int size = out.size() - start;
        ByteBuffer end = le(22);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) indexes.length)
                .putShort((short) indexes.length).putInt(size).putInt(start).putShort((short) 0);
        out.writeBytes(end.array());
        return out.toByteArray();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
