package io.dualsock.cli.clients.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;

/** The peer agent's words for what the peers did (no network: numeric addresses only). */
class PeerClientsTest {
    private static String text(String numeric) throws UnknownHostException {
        return PeerClients.text(InetAddress.getByName(numeric));
    }

    @Test
    void addressesArePrintedAsInetNtopPrintsThem() throws Exception {
        assertEquals("2001:db8::62", text("2001:db8:0:0:0:0:0:62"));
        assertEquals("::1", text("0:0:0:0:0:0:0:1"));
        assertEquals("2001:db8:0:1::1", text("2001:db8:0:1:0:0:0:1"));
        assertEquals("1:0:0:2::3", text("1:0:0:2:0:0:0:3"));
        assertEquals("2001:db8::", text("2001:db8:0:0:0:0:0:0"));
        assertEquals("1:2:3:4:5:6:0:8", text("1:2:3:4:5:6:0:8"));
        assertEquals("198.51.100.62", text("198.51.100.62"));
    }

    @Test
    void exceptionsBecomeTheNamesTheTableUses() {
        assertEquals("TIMEOUT", PeerClients.outcome(new SocketTimeoutException("Connect timed out")));
        assertEquals("ECONNREFUSED", PeerClients.outcome(new ConnectException("Connection refused")));
        assertEquals("EHOSTUNREACH", PeerClients.outcome(new NoRouteToHostException("No route to host")));
        assertEquals("ENETUNREACH", PeerClients.outcome(new java.io.IOException("x", new ConnectException("Network is unreachable"))));
        assertEquals("UNKNOWN_HOST", PeerClients.outcome(new UnknownHostException("nowhere.test")));
        assertEquals("IllegalStateException", PeerClients.outcome(new IllegalStateException("odd")));
    }
}
