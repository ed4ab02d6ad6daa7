package io.dualsock.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.dualsock.NativeSocket;
import io.dualsock.cli.demo.PktinfoFacts.Case;
import io.dualsock.cli.demo.PktinfoFacts.Message;

/** The demo's dual-stack PKTINFO section: what arrived is what the options asked for, holding the address sent to. */
class PktinfoFactsTest {

    private static List<String> names(Case c) {
        return c.messages().stream().map(Message::name).sorted().toList();
    }

    @Test
    void eachSettingBringsWhatItAsksForWithTheAddressSentTo() {
        PktinfoFacts p = PktinfoFacts.measure(2000);
        assertEquals(6, p.cases().size());
        for (Case c : p.cases()) {
            assertNull(c.failure(), c::toString);
            boolean v4 = c.clientFamily() == NativeSocket.AF_INET;
            List<String> want = new java.util.ArrayList<>();
            if (c.ipv6Recvpktinfo()) want.add("IPV6_PKTINFO");
            if (v4 && c.ipPktinfo()) want.add("IP_PKTINFO");
            assertEquals(want.stream().sorted().toList(), names(c), c::toString);
            for (Message m : c.messages()) {
                String expected = m.name().equals("IP_PKTINFO") ? "127.0.0.1" : v4 ? "::ffff:127.0.0.1" : "::1";
                assertEquals(expected, m.address(), c::toString);
                assertTrue(m.ifindex() > 0, c::toString);
            }
        }
        StringWriter w = new StringWriter();
        PktinfoReport.print(p, new PrintWriter(w));
        String text = w.toString();
        assertTrue(text.startsWith("\n" + PktinfoReport.TITLE + "\n"), text);
        assertTrue(text.contains("IP_PKTINFO=1 IPV6_RECVPKTINFO=1: IPv4 -> "), text);
        assertEquals(6, PktinfoReport.json(p).size());
    }
}
