package io.dualsock.cli.matrix;

import io.dualsock.lab.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dualsock.cli.matrix.MatrixReport;
import io.dualsock.cli.matrix.Outcome;

/**
 * Checks a measured table's evidence independently of the runner's own checks: the version
 * measured on the wire matches the attempt that worked; a failed attempt delivered nothing to a
 * server socket and no packet of the other IP version reached the server host.
 */
final class Evidence {
    private Evidence() {}

    static void assertConsistent(MatrixReport.Table t) {
        for (MatrixReport.Cell c : t.cells()) {
            String where = t.transport().id() + "/" + t.variant().id() + " " + c.row() + " -> " + c.column() + " (" + c.text() + ")";
            assertTrue(c.problems().isEmpty(), where + ": " + c.problems());
            boolean tcp = t.transport().isTcp();
            for (MatrixReport.Attempt a : c.attempts()) {
                String at = where + " try " + a.index();
                Wire w = a.wire();
                long other = a.addressProtocol() == Family.IPV4 ? w.ipv6() : w.ipv4();
                assertEquals(0, other, at + ": packets of the other IP version reached the server host: " + w.deltas());
                if (a.ok()) {
                    assertEquals(a.addressProtocol(), w.family(), at + ": measured " + w.protocol() + " " + w.deltas());
                    assertNotNull(a.serverPeer(), at + ": the server saw no peer");
                    assertEquals(w.family(), io.dualsock.cli.matrix.MatrixRunnerAccess.peerProtocol(a.serverPeer()),
                            at + ": peer " + a.serverPeer());
                    if (tcp) assertTrue(w.get("TcpPassiveOpens") >= 1, at + ": no TcpPassiveOpens " + w.deltas());
                    else assertTrue(w.get(w.family() == Family.IPV4 ? "UdpInDatagrams" : "Udp6InDatagrams") >= 1, at);
                } else {
                    assertNull(a.serverPeer(), at + ": a failed attempt was served");
                    if (tcp) assertEquals(0, w.get("TcpPassiveOpens"), at + ": a failed attempt was accepted");
                    else assertEquals(0, w.udpDelivered(), at + ": a failed attempt's datagram reached a socket");
                    if (a.outcome().equals("ENETUNREACH")) {
                        assertEquals("none", w.protocol(), at + ": nothing may leave a host without a route");
                    }
                }
            }
            if (c.outcome() == Outcome.NO) {
                assertFalse(c.attempts().stream().anyMatch(MatrixReport.Attempt::ok), where);
                assertNull(c.successfulTry(), where);
            } else {
                MatrixReport.Attempt ok = c.attempts().get(c.successfulTry() - 1);
                assertTrue(ok.ok(), where);
                assertEquals(c.outcome() == Outcome.IPV4 ? Family.IPV4 : Family.IPV6, ok.wire().family(), where);
            }
        }
    }
}
