package io.gantry.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback ports for the demo's services. */
final class DemoPorts {
    private DemoPorts() {
    }

    /**
     * @return a loopback port free at the time of asking. Certificates must name the OCSP/CRL URL
     *     before the backend binds it, so the port is chosen first; another process could take it
     *     in between, in which case the backend fails to start and says so.
     */
    static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
