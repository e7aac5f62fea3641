package io.gantry.backend.http;

import java.net.URI;
import org.eclipse.jetty.server.ServerConnector;

/** The URI clients use to reach a bound Jetty connector. */
public final class ConnectorUris {
    private ConnectorUris() {
    }

    /** @return {@code <scheme>://<host>:<port>}, with 127.0.0.1 when the connector listens on a wildcard address */
    public static URI of(String scheme, ServerConnector connector) {
        String host = connector.getHost();
        if (host == null || host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        }
        return URI.create(scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + connector.getLocalPort());
    }
}
