package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The topology fields {@code nat64} and per-host {@code dns64}, and what the lab writes for them (no namespaces). */
class Dns64TopologyTest {
    static final String JSON = """
            {"hosts": [{"name": "c6", "stack": "ipv6-only", "dns64": true}, {"name": "s4", "stack": "ipv4-only"}],
             "nat64": {"prefix": "2001:db8:6464::/96", "pool": "198.51.100.240/29"}}
            """;

    @Test
    void fieldsReadAndWriteBack() {
        Topology t = TopologyJson.parse(JSON, "t.json");
        assertTrue(t.host("c6").dns64());
        assertFalse(t.host("s4").dns64());
        assertEquals(new Nat64Spec("2001:db8:6464::/96", "198.51.100.240/29"), t.nat64());
        assertEquals(t, TopologyJson.parse(TopologyJson.toJson(t).toString(), "round trip"));
        assertTrue(Dns64Server.wanted(t));
        assertFalse(Dns64Server.wanted(Topology.figure125()));
        assertEquals(null, Topology.figure125().nat64());
    }

    @Test
    void dns64WithoutNat64IsAnErrorNamingTheHost() {
        LabAccess.assertRefused("{\"hosts\": [{\"name\": \"c6\", \"stack\": \"ipv6-only\", \"dns64\": true}]}", "t.json",
                "host \"c6\": dns64 needs the topology's nat64 prefix");
        LabAccess.assertRefused("{\"hosts\": [{\"name\": \"c6\", \"stack\": \"ipv6-only\", \"dns64\": \"yes\"}]}", "t.json",
                "$.hosts[0].dns64: expected true or false");
    }

    @Test
    void aBadPrefixNamesTheField() {
        for (String bad : List.of("2001:db8::/33", "2001:db8::1/32", "198.51.100.0/24")) {
            String m = LabAccess.assertRefused("{\"hosts\": [{\"name\": \"a\", \"stack\": \"dual\"}], \"nat64\": {\"prefix\": \"" + bad + "\"}}",
                    "t.json", "$.nat64.prefix: ");
            assertTrue(m.startsWith("t.json: $.nat64.prefix: "), m);
        }
        LabAccess.assertRefused("{\"hosts\": [{\"name\": \"a\", \"stack\": \"dual\"}], \"nat64\": {\"prefix\": \"64:ff9b::/96\", \"x\": 1}}",
                "t.json", "$.nat64: unknown field \"x\"");
    }

    @Test
    void dns64NeedsTheLabsDnsServer() {
        Topology t = TopologyJson.parse(JSON, "t.json");
        LabException e = assertThrows(LabException.class, () -> Dns64Server.check(t, NameSource.FILES));
        assertTrue(e.getMessage().startsWith("host c6: dns64 needs the lab's DNS server (--resolver dns"), e.getMessage());
        Dns64Server.check(Topology.figure125(), NameSource.FILES); // nothing asked, nothing needed
    }

    @Test
    void theDns64HostAsksUnboundAndTheOthersDnsmasq() {
        Topology t = TopologyJson.parse(JSON, "t.json");
        Map<String, String> c6 = NameFiles.files(t, t.host("c6"), NameSource.DNS);
        Map<String, String> s4 = NameFiles.files(t, t.host("s4"), NameSource.DNS);
        assertEquals(List.of("nameserver " + Dns64Server.ADDRESS6), c6.get("resolv.conf").lines().filter(l -> l.startsWith("nameserver")).toList());
        assertEquals(List.of("nameserver " + Topology.DNS4), s4.get("resolv.conf").lines().filter(l -> l.startsWith("nameserver")).toList());
        List<String> a = NameFiles.dnsmasqArgs(t);
        assertTrue(a.contains("--local=/ipv4only.arpa/"), a::toString);
        assertTrue(a.contains("--host-record=ipv4only.arpa,192.0.0.170," + NameFiles.IPV4ONLY_TTL), a::toString);
        assertTrue(a.contains("--host-record=ipv4only.arpa,192.0.0.171," + NameFiles.IPV4ONLY_TTL), a::toString);
    }

    @Test
    void unboundAsksOnlyTheLabsDnsmasqWithTheTopologysPrefix() {
        Topology t = TopologyJson.parse(JSON, "t.json");
        String c = Dns64Server.config(t, Path.of("/run/dualsock-lab/ds-1-1-unbound"));
        assertTrue(c.contains("module-config: \"dns64 iterator\"\n"), c);
        assertTrue(c.contains("dns64-prefix: 2001:db8:6464::/96\n"), c);
        assertTrue(c.contains("interface: " + Dns64Server.ADDRESS4 + "\n") && c.contains("interface: " + Dns64Server.ADDRESS6 + "\n"), c);
        assertTrue(c.contains("forward-zone:\n  name: \".\"\n  forward-addr: " + Topology.DNS4 + "\n  forward-addr: " + Topology.DNS6 + "\n"), c);
        assertTrue(c.contains("control-enable: no"), c);
        assertFalse(c.contains("stub-zone") || c.contains("root-hints"), c);
    }

    @Test
    void unboundsAddressesAreTaken() {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyJson.parse(
                "{\"hosts\": [{\"name\": \"a\", \"stack\": \"dual\", \"ipv4\": \"" + Dns64Server.ADDRESS4 + "\"}]}", "t.json"));
        assertTrue(e.getMessage().contains("is taken"), e.getMessage());
    }
}
