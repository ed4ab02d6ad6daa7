package io.dualsock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * NativeSocket.connect(host, service, hints, timeout) on loopback: getaddrinfo(NULL, port) gives
 * both loopback addresses (no name service asked); only one of them listens.
 */
class ConnectorTest {
    private static final Hints BOTH = Hints.builder().unspec().stream().flags(AiFlag.NUMERICSERV).build();

    @Test
    void triesEachAddressInLibcsOrderUntilOneConnects() throws Exception {
        List<AddrInfo> order = Resolver.getaddrinfo(null, "9", BOTH);
        assertEquals(2, order.size(), "::1 and 127.0.0.1: " + order);
        // listen on the address libc puts second, so that the first attempt is refused
        SockAddr second = order.get(1).address();
        try (NativeSocket server = NativeSocket.open(order.get(1).family(), NativeSocket.SOCK_STREAM)) {
            server.bind(second instanceof Inet6SockAddr ? Inet6SockAddr.loopback(0) : Inet4SockAddr.loopback(0));
            server.listen(1);
            int port = server.localAddress().port();
            try (NativeSocket c = NativeSocket.connect(null, Integer.toString(port), BOTH, Duration.ofSeconds(3))) {
                assertEquals(server.localAddress(), c.peerAddress());
            }
        }
    }

    @Test
    void everyAttemptFailedGivesTheFirstFailureWithTheOthersSuppressed() throws Exception {
        int port;
        try (NativeSocket probe = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_STREAM)) {
            probe.bind(Inet4SockAddr.loopback(0)); // a port nothing listens on once this closes
            port = probe.localAddress().port();
        }
        NativeSocketException e = assertThrows(NativeSocketException.class,
                () -> NativeSocket.connect(null, Integer.toString(port), BOTH, Duration.ofSeconds(3)));
        assertTrue(e.getMessage().contains("ECONNREFUSED"), e.getMessage());
        assertEquals(1, e.getSuppressed().length, "the second address's failure");
        assertThrows(ResolverException.class, () -> NativeSocket.connect("not numeric", "9",
                Hints.builder().stream().flags(AiFlag.NUMERICHOST).build(), Duration.ofSeconds(1)));
    }
}
