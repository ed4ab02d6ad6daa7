package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The topology field {@code nat64}: defaults, every RFC 6052 length, round trip, and the errors that name the field. */
class Nat64SpecTest {
    private static final String HOSTS = "'hosts':[{'name':'s4','stack':'ipv4-only','ipv4':'198.51.100.11'},"
            + "{'name':'c6','stack':'ipv6-only','ipv6':'2001:db8::22'}]";

    private static Topology parse(String nat64) {
        return TopologyJson.parse(("{" + HOSTS + (nat64 == null ? "" : ",'nat64':" + nat64) + "}").replace('\'', '"'), "t.json");
    }

    @Test
    void anEmptyObjectTakesTheDefaults() {
        Nat64Spec n = parse("{}").nat64();
        assertEquals(new Nat64Spec("2001:db8:6464::/96", "198.51.100.240/29", "198.51.100.64", "2001:db8::64"), n);
        assertEquals("198.51.100.241", n.taygaIpv4());
        assertEquals("2001:db8:6464::c633:640b", n.synthesize("198.51.100.11"));
        assertTrue(n.inPool("198.51.100.247"));
        assertTrue(!n.inPool("198.51.100.239") && !n.inPool("198.51.100.248") && !n.inPool("2001:db8::1"));
        assertNull(parse(null).nat64());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2001:db8::/32", "2001:db8:100::/40", "2001:db8:122::/48", "2001:db8:122:300::/56",
        "2001:db8:122:344::/64", "2001:db8:122:344::/96"})
    void everyRfc6052LengthIsAllowedAndRoundTrips(String prefix) {
        Topology t = parse("{'prefix':'" + prefix + "','pool':'198.51.100.200/30','ipv4':'198.51.100.5','ipv6':'2001:db8::5'}");
        assertEquals(prefix, t.nat64().prefix());
        assertEquals(t, TopologyJson.parse(TopologyJson.toJson(t).toString(), "round trip"));
        assertEquals(prefix, TopologyJson.toJson(t).path("nat64").path("prefix").asText());
    }

    @Test
    void theWellKnownPrefixServesDns64AloneAndPrefixesAreWrittenCanonically() {
        Nat64Spec wkp = parse("{'prefix':'64:ff9b::/96'}").nat64();
        assertFalse(wkp.gateway(), "TAYGA would refuse the lab's non-global addresses under 64:ff9b::/96 (RFC 6052 §3.1)");
        assertEquals("64:ff9b::c633:640b", wkp.synthesize("198.51.100.11"));
        assertTrue(parse("{'prefix':'2001:db8:6464::/96'}").nat64().gateway());
        assertEquals("2001:db8:6464::/96", parse("{'prefix':'2001:DB8:6464:0::/96'}").nat64().prefix());
        assertEquals(new Nat64Spec("2001:db8:6464::/96", null), new Nat64Spec("2001:db8:6464::/96", "198.51.100.240/29"));
    }

    @Test
    void aTopologyWithoutNat64WritesNoField() {
        assertTrue(TopologyJson.toJson(Topology.figure125()).path("nat64").isMissingNode());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not an object          | 5                                                | $.nat64: expected an object",
        "unknown field          | {'prefx':'2001:db8:6464::/96'}                   | $.nat64: unknown field \"prefx\"",
        "prefix not a string    | {'prefix':96}                                    | $.nat64.prefix: expected a string",
        "prefix length          | {'prefix':'2001:db8:6464::/80'}                  | $.nat64.prefix: NAT64 prefix length must be one of",
        "prefix not IPv6        | {'prefix':'198.51.100.0/24'}                     | $.nat64.prefix: not an IPv6 prefix",
        "u octet                | {'prefix':'2001:db8:6464:0:ff00::/96'}           | $.nat64.prefix: NAT64 prefix 2001:db8:6464:0:ff00::/96: bits 64-71",
        "outside the lab        | {'prefix':'2001:db9::/32'}                       | $.nat64.prefix: 2001:db9::/32 is outside 2001:db8::/32",
        "inside the link        | {'prefix':'2001:db8::/96'}                       | $.nat64.prefix: 2001:db8::/96 lies inside the lab link",
        "prefix null            | {'prefix':null}                                  | $.nat64.prefix: expected a string",
        "pool without length    | {'pool':'198.51.100.240'}                        | $.nat64.pool: write an IPv4 prefix",
        "pool outside the lab   | {'pool':'192.0.2.0/29'}                          | $.nat64.pool: 192.0.2.0 is outside 198.51.100.0/24",
        "pool too wide          | {'pool':'198.51.100.0/24'}                       | $.nat64.pool: the length must be 25..30",
        "pool too narrow        | {'pool':'198.51.100.240/31'}                     | $.nat64.pool: the length must be 25..30",
        "pool host bits         | {'pool':'198.51.100.241/29'}                     | $.nat64.pool: 198.51.100.241/29 has host bits set; write 198.51.100.240/29",
        "pool holds the DNS     | {'pool':'198.51.100.48/29'}                      | nat64.pool: 198.51.100.48/29 holds the lab DNS server's",
        "pool holds a host      | {'pool':'198.51.100.8/29'}                       | host \"s4\": address 198.51.100.11 is inside the NAT64 pool",
        "gateway in the pool    | {'ipv4':'198.51.100.242'}                        | $.nat64.ipv4: 198.51.100.242 is inside the pool",
        "gateway off the link   | {'ipv6':'2001:db8:1::1'}                         | $.nat64.ipv6: IPv6 address 2001:db8:1::1 is not on the lab link",
        "gateway is a host      | {'ipv4':'198.51.100.11'}                         | host \"s4\": address 198.51.100.11 is the NAT64 gateway's",
    })
    void badNat64FieldsAreRefusedWithTheFieldNamed(String what, String nat64, String message) {
        TopologyException e = assertThrows(TopologyException.class, () -> parse(nat64));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().startsWith("t.json: "), e.getMessage());
    }

    @Test
    void theGatewaysHostNameIsReserved() {
        TopologyException e = assertThrows(TopologyException.class,
                () -> TopologyJson.parse("{\"hosts\":[{\"name\":\"nat64\",\"stack\":\"dual\"}]}", "t.json"));
        assertTrue(e.getMessage().contains("reserved"), e.getMessage());
    }

    @Test
    void taygaGetsTheLabsSettings() {
        assertEquals(java.util.List.of("tun-device ds-nat64", "ipv4-addr 198.51.100.241", "prefix 2001:db8:6464::/96",
                "dynamic-pool 198.51.100.240/29"), Nat64Gateway.config(new Nat64Spec()));
    }
}
