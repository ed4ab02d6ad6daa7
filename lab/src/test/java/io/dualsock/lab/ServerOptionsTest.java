package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link Lab.Builder#server(String, ServerOptions)} and the boolean form it replaces, as topology servers (no lab started). */
@SuppressWarnings("deprecation") // the boolean form is tested to stay what it was
class ServerOptionsTest {
    private static List<Topology.Server> servers(Lab.Builder b) {
        return b.topology().servers();
    }

    @Test
    void defaultsAreIpv6OnlyOffAndPort7007() {
        assertEquals(new ServerOptions(Family.IPV6, false, 7007), ServerOptions.ipv6());
        assertEquals(new ServerOptions(Family.IPV4, false, 7007), ServerOptions.ipv4());
        assertEquals(new ServerOptions(Family.IPV6, true, 8080), ServerOptions.ipv6().v6only(true).port(8080));
        assertThrows(NullPointerException.class, () -> ServerOptions.of(null));
    }

    @Test
    void theBooleanFormMakesTheSameServerAsBefore() {
        Topology.Server s = servers(Lab.builder().host("b", Stack.DUAL).server("b", Family.IPV6, true)).get(0);
        assertEquals(new Topology.Server("b-ipv6", "b", Family.IPV6, true, "b.ds.test", 7007, "IPv6 server on b"), s);
        assertEquals(s, servers(Lab.builder().host("b", Stack.DUAL).server("b", ServerOptions.ipv6().v6only(true))).get(0));
    }

    @Test
    void aPortOtherThan7007IsInTheServersIdAndPort() {
        List<Topology.Server> s = servers(Lab.builder().host("b", Stack.DUAL)
                .server("b", ServerOptions.ipv4()).server("b", ServerOptions.ipv6().port(8080)));
        assertEquals(List.of("b-ipv4", "b-ipv6-8080"), s.stream().map(Topology.Server::id).toList());
        assertEquals(8080, s.get(1).port());
        assertEquals(false, s.get(1).v6only());
    }

    @Test
    void badValuesAreRefusedByTheTopologyWithTheServersName() {
        TopologyException v4 = assertThrows(TopologyException.class,
                () -> servers(Lab.builder().host("b", Stack.DUAL).server("b", ServerOptions.ipv4().v6only(true))));
        assertEquals("server \"b-ipv4\": v6only applies to IPv6 servers only", v4.getMessage());
        assertThrows(TopologyException.class,
                () -> servers(Lab.builder().host("b", Stack.DUAL).server("b", ServerOptions.ipv6().port(70000))));
        assertThrows(TopologyException.class, () -> Lab.builder().server("nohost", ServerOptions.ipv6()));
    }
}
