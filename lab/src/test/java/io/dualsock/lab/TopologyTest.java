package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopologyTest {

    @Test
    void figure125HasTheBooksHostsServersAndClients() {
        Topology t = Topology.figure125();
        assertEquals(7, t.hosts().size());
        assertEquals(List.of("IPv4 server, IPv4-only host (A only)", "IPv6 server, IPv6-only host (AAAA only)",
                "IPv4 server, dual-stack host (A and AAAA)", "IPv6 server, dual-stack host (A and AAAA)"),
                t.servers().stream().map(Topology.Server::label).toList());
        assertEquals(List.of("IPv4 client, IPv4-only host", "IPv6 client, IPv6-only host", "IPv4 client, dual-stack host",
                "IPv6 client, dual-stack host"), t.clients().stream().map(Topology.Client::label).toList());
        Topology.NameRecord s4 = t.nameTable().get("s4.ds.test");
        assertEquals(List.of("198.51.100.11"), s4.a());
        assertTrue(s4.aaaa().isEmpty());
        assertEquals("AAAA only", t.nameTable().get("s6.ds.test").describe());
        assertEquals("A and AAAA", t.nameTable().get("d6.ds.test").describe());
        assertFalse(t.servers().get(3).v6only());
    }

    @Test
    void writtenJsonReadsBackTheSame() {
        Topology t = Topology.figure125();
        Topology again = TopologyJson.parse(TopologyJson.toJson(t).toString(), "round trip");
        assertEquals(t, again);
    }

    @Test
    void defaultsFillAddressesNamesIdsAndLabels() {
        Topology t = TopologyJson.parse("""
                {"hosts": [{"name": "a", "stack": "dual"}, {"name": "b", "stack": "ipv6-only"}],
                 "servers": [{"host": "b", "family": "ipv6", "v6only": true}],
                 "clients": [{"host": "a", "family": "ipv4"}]}""", "test");
        assertEquals("198.51.100.100", t.host("a").ipv4());
        assertEquals("2001:db8::101", t.host("b").ipv6());
        assertEquals(null, t.host("b").ipv4());
        assertEquals("b.ds.test", t.servers().get(0).name());
        assertEquals("IPv6 server (IPV6_V6ONLY), IPv6-only host (AAAA only)", t.servers().get(0).label());
        assertEquals("a-ipv4", t.clients().get(0).id());
        assertEquals(7007, t.servers().get(0).port());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        host name too long for a veth  | {'hosts':[{'name':'abcdefghijklm','stack':'dual'}]}        | 1 to 12 characters
        reserved host name             | {'hosts':[{'name':'dns','stack':'dual'}]}                  | reserved
        address outside TEST-NET-2     | {'hosts':[{'name':'a','stack':'ipv4-only','ipv4':'192.0.2.1'}]} | outside 198.51.100.0/24
        address outside 2001:db8::/32  | {'hosts':[{'name':'a','stack':'ipv6-only','ipv6':'2001:db9::1'}]} | outside 2001:db8::/32
        IPv6 address off the lab link  | {'hosts':[{'name':'a','stack':'ipv6-only','ipv6':'2001:db8:1::1'}]} | not on the lab link
        IPv6 address on IPv4-only host | {'hosts':[{'name':'a','stack':'ipv4-only','ipv4':'198.51.100.9','ipv6':'2001:db8::9'}]} | an ipv4-only host has no IPv6 address
        IPv4 address on IPv6-only host | {'hosts':[{'name':'a','stack':'ipv6-only','ipv4':'198.51.100.9','ipv6':'2001:db8::9'}]} | an ipv6-only host has no IPv4 address
        the DNS server's address       | {'hosts':[{'name':'a','stack':'ipv4-only','ipv4':'198.51.100.53'}]} | taken
        unknown field                  | {'hosts':[{'name':'a','stack':'dual','color':'red'}]}      | unknown field "color"
        unknown stack                  | {'hosts':[{'name':'a','stack':'triple'}]}                  | unknown stack
        duplicate name                 | {'hosts':[{'name':'a','stack':'dual','names':['x.test']},{'name':'b','stack':'dual','names':['x.test']}]} | defined twice
        upper-case DNS name            | {'hosts':[{'name':'a','stack':'dual','names':['X.test']}]} | lower case
        v6only on an IPv4 server       | {'hosts':[{'name':'a','stack':'dual'}],'servers':[{'host':'a','family':'ipv4','v6only':true}]} | IPv6 servers only
        server on a missing host       | {'hosts':[{'name':'a','stack':'dual'}],'servers':[{'host':'z','family':'ipv4'}]} | no host
        two servers on one port        | {'hosts':[{'name':'a','stack':'dual'}],'servers':[{'host':'a','family':'ipv4'},{'host':'a','family':'ipv6'}]} | share host and port
        not JSON                       | {'hosts': [                                                 | not valid JSON
        no prefix length        | {'hosts':[{'name':'a','stack':'dual','addresses':['fd00::5']}]}             | write the prefix length
        outside the lab         | {'hosts':[{'name':'a','stack':'dual','addresses':['192.0.2.5/24']}]}        | outside the prefixes
        6to4 of another IPv4    | {'hosts':[{'name':'a','stack':'dual','addresses':['2002:c000:201::1/48']}]} | outside the prefixes
        prefix wider than range | {'hosts':[{'name':'a','stack':'dual','addresses':['198.51.100.9/16']}]}      | must be 24..32
        IPv6 on IPv4-only host  | {'hosts':[{'name':'a','stack':'ipv4-only','addresses':['fd00::5/64']}]}    | an ipv4-only host has no IPv6
        deprecated IPv4         | {'hosts':[{'name':'a','stack':'dual','addresses':[{'address':'198.51.100.9/24','deprecated':true}]}]} | only IPv6 addresses can be marked
        address taken           | {'hosts':[{'name':'a','stack':'dual','ipv4':'198.51.100.9','addresses':['198.51.100.9/25']}]} | taken
        record outside the lab  | {'hosts':[{'name':'a','stack':'dual'}],'records':[{'name':'x.test','a':['192.0.2.1']}]} | outside the prefixes a lab name
        record with a scope     | {'hosts':[{'name':'a','stack':'dual'}],'records':[{'name':'x.test','aaaa':['fe80::1%2']}]} | no scope
        gai_conf not text       | {'hosts':[{'name':'a','stack':'dual','gai_conf':5}]}                          | expected an array
        """)
    void badTopologiesAreRefusedWithTheFieldNamed(String what, String json, String message) {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyJson.parse(json.replace('\'', '"'), "t.json"));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().startsWith("t.json: "), e.getMessage());
    }

    @Test
    void aHostMissingAnAddressIsNamedWithTheRightArticle() {
        TopologyException e = assertThrows(TopologyException.class, () -> new Topology("", 7007,
                List.of(new Topology.Host("a", Stack.DUAL, null, "2001:db8::9", List.of())), List.of(), List.of(), List.of()));
        assertTrue(e.getMessage().endsWith("host \"a\": a dual-stack host needs an IPv4 address"), e.getMessage());
        assertEquals("an ipv4-only host", Stack.IPV4_ONLY.aHost());
        assertEquals("an ipv6-only host", Stack.IPV6_ONLY.aHost());
    }

    @Test
    void ipv4AndV6onlyIpv6ServerMayShareAPort() {
        Topology t = TopologyJson.parse("""
                {"hosts": [{"name": "a", "stack": "dual"}],
                 "servers": [{"id": "v4", "host": "a", "family": "ipv4"}, {"id": "v6", "host": "a", "family": "ipv6", "v6only": true}]}""",
                "test");
        assertEquals(2, t.servers().size());
    }

    @Test
    void extraRecordsJoinTheNameTable() {
        Topology t = TopologyJson.parse("""
                {"hosts": [{"name": "a", "stack": "ipv4-only"}],
                 "records": [{"name": "ghost.ds.test", "aaaa": ["2001:db8::99"]}],
                 "servers": [{"host": "a", "family": "ipv4", "name": "ghost.ds.test"}]}""", "test");
        assertEquals("AAAA only", t.recordsOf(t.servers().get(0)).describe());
        assertEquals(List.of("a.ds.test", "ghost.ds.test"), List.copyOf(t.nameTable().keySet()));
    }

    @Test
    void hostsMayCarryMoreAddressesAndTheirOwnGaiConf() {
        Topology t = TopologyJson.parse("""
                {"hosts": [{"name": "a", "stack": "dual",
                            "addresses": ["198.51.100.200/26", "fd00:0:0:1::10/48", "2002:c633:640a::10/48",
                                          "169.254.7.10/16", {"address": "2001:db8:1::10/48", "deprecated": true}],
                            "gai_conf": ["precedence ::ffff:0:0/96 100", "reload yes"]},
                           {"name": "b", "stack": "ipv4-only", "gai_conf": "label ::/0 1\\n"}],
                 "records": [{"name": "many.ds.test", "a": ["127.0.0.1", "169.254.7.1"],
                              "aaaa": ["::1", "fe80::1", "fd00::5", "::ffff:198.51.100.5", "2002:c633:6405::1", "::198.51.100.5"]}]}""",
                "test");
        Topology.Host a = t.host("a");
        assertEquals(5, a.addresses().size());
        assertEquals(new Topology.Address("2001:db8:1::10", 48, true), a.addresses().get(4));
        assertEquals("precedence ::ffff:0:0/96 100\nreload yes\n", a.gaiConf());
        assertEquals("label ::/0 1\n", t.host("b").gaiConf());
        assertEquals(null, Topology.figure125().host("cd").gaiConf());
        assertEquals(t, TopologyJson.parse(TopologyJson.toJson(t).toString(), "round trip"));
    }
}
