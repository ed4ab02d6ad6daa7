package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The fluent server builder and the builder's impairments, as the topology they make (no lab started). */
class ServerBuilderTest {
    @Test
    void theFluentFormMakesWhatServerOptionsMake() {
        Topology fluent = Lab.builder().host("srv", Stack.DUAL).server("srv").ipv6().v6only(true).port(8080).and().topology();
        Topology whole = Lab.builder().host("srv", Stack.DUAL).server("srv", ServerOptions.ipv6().v6only(true).port(8080)).topology();
        assertEquals(whole.servers(), fluent.servers());
        assertEquals(new Topology.Server("srv-ipv6-8080", "srv", Family.IPV6, true, "srv.ds.test", 8080, "IPv6 server on srv"),
                fluent.servers().get(0));
    }

    @Test
    void aServerCountsWithoutAndAndTheLastValueWins() {
        Lab.Builder b = Lab.builder().host("srv", Stack.DUAL).host("v4", Stack.IPV4_ONLY);
        ServerBuilder s = b.server("srv").ipv4().port(9000);
        s.ipv6().port(9001);
        b.server("v4");
        List<Topology.Server> servers = b.topology().servers();
        assertEquals(List.of("srv-ipv6-9001", "v4-ipv4"), servers.stream().map(Topology.Server::id).toList());
        assertEquals(ServerOptions.ipv6().port(9001), s.options());
    }

    @Test
    void theDefaultFamilyIsTheOneTheHostHas() {
        List<Topology.Server> servers = Lab.builder().host("d", Stack.DUAL).host("f", Stack.IPV4_ONLY).host("s", Stack.IPV6_ONLY)
                .server("d").server("f").server("s").and().topology().servers();
        assertEquals(List.of(Family.IPV6, Family.IPV4, Family.IPV6), servers.stream().map(Topology.Server::family).toList());
    }

    @Test
    void idNameAndLabelAreTheServersOwn() {
        Topology t = Lab.builder().host("srv", Stack.DUAL).record("alias.ds.test", List.of("198.51.100.100"), List.of())
                .server("srv").ipv4().id("legacy").name("alias.ds.test").label("the old one").and().topology();
        assertEquals(new Topology.Server("legacy", "srv", Family.IPV4, false, "alias.ds.test", 7007, "the old one"), t.servers().get(0));
    }

    @Test
    void badValuesFailWhenTheTopologyIsBuiltWithTheServersName() {
        Lab.Builder b = Lab.builder().host("srv", Stack.DUAL).server("srv").ipv4().v6only(true).and();
        TopologyException e = assertThrows(TopologyException.class, b::topology);
        assertEquals("server \"srv-ipv4\": v6only applies to IPv6 servers only", e.getMessage());
        assertThrows(TopologyException.class, () -> Lab.builder().host("srv", Stack.DUAL).server("srv").port(0).and().topology());
        assertEquals("declare host nohost before its server",
                assertThrows(TopologyException.class, () -> Lab.builder().server("nohost")).getMessage());
    }

    @Test
    void impairmentsBecomeTheTopologysPathStatesAndDnsDelays() {
        Topology t = Lab.builder().host("srv", Stack.DUAL).host("c", Stack.DUAL)
                .impair("srv").ipv6Path(Topology.PathState.BLACKHOLE)
                .impair("srv").dnsDelay(Duration.ZERO, Duration.ofMillis(300))
                .dnsDelay("*", Duration.ofMillis(5), Duration.ZERO)
                .topology();
        assertEquals(Topology.PathState.OPEN, t.host("srv").ipv4Path());
        assertEquals(Topology.PathState.BLACKHOLE, t.host("srv").ipv6Path());
        assertEquals(Topology.PathState.OPEN, t.host("c").ipv6Path());
        assertEquals(List.of(new Topology.DnsDelay("srv.ds.test", 0, 300), new Topology.DnsDelay("*", 5, 0)), t.dnsDelays());
        assertEquals(300, t.dnsDelayMs("srv.ds.test", true));
        assertEquals(5, t.dnsDelayMs("c.ds.test", false));
        assertEquals("table inet ds_impair {\n  chain input {\n    type filter hook input priority 0; policy accept;\n"
                + "    ip6 daddr 2001:db8::100 meta l4proto { tcp, udp } drop;\n  }\n}\n", Impairments.script(t.host("srv")));
    }

    @Test
    void anImpairmentTheHostCannotHaveIsRefusedByTheTopology() {
        Lab.Builder b = Lab.builder().host("f", Stack.IPV4_ONLY).impair("f").ipv6Path(Topology.PathState.BLACKHOLE);
        String m = assertThrows(TopologyException.class, b::topology).getMessage();
        assertTrue(m.startsWith("host \"f\": ipv6_path: ") && m.endsWith(" has no IPv6"), m);
        Lab.Builder late = Lab.builder().host("f", Stack.DUAL).dnsDelay("*", Duration.ofSeconds(11), Duration.ZERO);
        assertThrows(TopologyException.class, late::topology);
        assertEquals("declare host x before its impairments",
                assertThrows(TopologyException.class, () -> Lab.builder().impair("x")).getMessage());
    }
}
