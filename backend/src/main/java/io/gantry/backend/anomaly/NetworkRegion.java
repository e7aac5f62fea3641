package io.gantry.backend.anomaly;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The network region of an address: its IPv4 prefix of a given length ({@code 203.0.113.0/24}) or
 * its IPv6 /48. Only address literals are read: nothing here resolves a name.
 */
public final class NetworkRegion {
    /** Prefix length of IPv6 regions (a typical site allocation). */
    public static final int IPV6_BITS = 48;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%.*)?");

    private NetworkRegion() {
    }

    /** @return the region of {@code address} in CIDR notation, or {@code null} if it is not an address literal */
    public static String of(String address, int ipv4Bits) {
        if (address == null) {
            return null;
        }
        byte[] bytes;
        if (IPV4.matcher(address).matches()) {
            String[] parts = address.split("\\.");
            bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(parts[i]);
                if (v > 255) {
                    return null;
                }
                bytes[i] = (byte) v;
            }
        } else if (address.contains(":") && IPV6.matcher(address).matches()) {
            try {
                // A literal with ':' is parsed, never looked up.
                bytes = InetAddress.getByName(address.replaceFirst("%.*$", "")).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        } else {
            return null;
        }
        int bits = bytes.length == 4 ? ipv4Bits : IPV6_BITS;
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - 8 * i));
            bytes[i] = (byte) (bytes[i] & (0xff << (8 - keep)));
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress() + "/" + bits;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }
}
