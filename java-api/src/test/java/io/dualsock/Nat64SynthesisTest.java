package io.dualsock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The pieces of RFC 8305 §7 that need no network: the IPv6-only heuristic, the scoped addresses, find() through seams. */
class Nat64SynthesisTest {
    private static Rtnetlink.Address addr(String text) {
        SockAddr a = SockAddr.parse(text, 0);
        byte[] a16 = a instanceof Inet6SockAddr a6 ? a6.rawBytes().clone() : new byte[16];
        if (a instanceof Inet4SockAddr a4) {
            a16[10] = (byte) 0xff;
            a16[11] = (byte) 0xff;
            System.arraycopy(a4.rawBytes(), 0, a16, 12, 4);
        }
        return new Rtnetlink.Address(a16, 64, 0, 1);
    }

    private static List<Rtnetlink.Address> addrs(String... texts) {
        List<Rtnetlink.Address> out = new ArrayList<>();
        for (String t : texts) out.add(addr(t));
        return out;
    }

    @Test
    void ipv6OnlyMeansNoRoutableIpv4AndSomeRoutableIpv6() {
        assertTrue(Nat64Synthesis.ipv6Only(addrs("127.0.0.1", "::1", "fe80::1", "2001:db8::21")));
        assertTrue(Nat64Synthesis.ipv6Only(addrs("169.254.3.4", "2001:db8::21")), "link-local IPv4 is not routable");
        assertFalse(Nat64Synthesis.ipv6Only(addrs("127.0.0.1", "::1", "198.51.100.21", "2001:db8::21")), "dual-stack");
        assertFalse(Nat64Synthesis.ipv6Only(addrs("127.0.0.1", "::1", "fe80::1")), "no routable IPv6: no network at all");
        assertFalse(Nat64Synthesis.ipv6Only(addrs()));
    }

    @Test
    void hostScopedAddressesOfRfc8305Section71() {
        for (String s : List.of("0.0.0.1", "127.0.0.1", "127.255.0.9", "169.254.1.1", "255.255.255.255")) {
            assertTrue(Nat64Synthesis.hostScoped(Inet4SockAddr.parse(s, 0)), s);
        }
        for (String s : List.of("198.51.100.11", "10.0.0.1", "169.253.1.1", "255.255.255.254", "1.0.0.0")) {
            assertFalse(Nat64Synthesis.hostScoped(Inet4SockAddr.parse(s, 0)), s);
        }
    }

    /** A lookup that must not be called for AF_INET6/AF_INET with AI_ADDRCONFIG; its A query without it answers from a list. */
    private static Connector.Lookup aRecords(List<SockAddr> four, List<String> asked) {
        return new Connector.Lookup() {
            @Override
            public List<SockAddr> lookup(String host, int port, int family) {
                throw new AssertionError("not this query");
            }

            @Override
            public List<SockAddr> lookupWithoutAddrconfig(String host, int port, int family) {
                asked.add(host + " " + family);
                return four;
            }
        };
    }

    @Test
    void findAsksNothingOnAHostWithIpv4() {
        List<String> asked = new ArrayList<>();
        RaceEnv.Nat64Found f = Nat64Synthesis.find("198.51.100.41", 80, () -> {
            throw new AssertionError("no discovery on a host with IPv4");
        }, aRecords(List.of(), asked), () -> false);
        assertFalse(f.ipv6Only());
        assertEquals(List.of(), asked);
        RaceEnv.Nat64Found broken = Nat64Synthesis.find("198.51.100.41", 80, () -> List.of(), aRecords(List.of(), asked), () -> {
            throw new IllegalStateException("rtnetlink");
        });
        assertFalse(broken.ipv6Only(), "a check that cannot tell keeps RFC 8305 §7 off");
    }

    @Test
    void findTakesALiteralAsIsAndAsksANameWithoutAddrconfig() {
        List<String> asked = new ArrayList<>();
        Nat64 p = Nat64.parse("2001:db8:6464::/96");
        RaceEnv.Nat64Found lit = Nat64Synthesis.find("198.51.100.41", 7007, () -> List.of(p), aRecords(List.of(), asked), () -> true);
        assertTrue(lit.ipv6Only());
        assertEquals(List.of(Inet4SockAddr.parse("198.51.100.41", 7007)), lit.ipv4());
        assertEquals(List.of(p), lit.prefixes());
        assertNull(lit.error());
        assertEquals(List.of(), asked, "a literal needs no query");

        SockAddr a = SockAddr.parse("198.51.100.42", 7007);
        RaceEnv.Nat64Found name = Nat64Synthesis.find("v4.ds.test", 7007, () -> List.of(p),
                aRecords(List.of(a, a, SockAddr.parse("2001:db8::9", 7007)), asked), () -> true);
        assertEquals(List.of(a), name.ipv4(), "IPv4 answers only, each once");
        assertEquals(List.of("v4.ds.test " + NativeSocket.AF_INET), asked);

        RaceEnv.Nat64Found none = Nat64Synthesis.find("v6.ds.test", 7007, () -> List.of(p), aRecords(List.of(), asked), () -> true);
        assertEquals("no IPv4 address to synthesize from", none.error());
        RaceEnv.Nat64Found noPrefix = Nat64Synthesis.find("198.51.100.41", 7007, List::of, aRecords(List.of(), asked), () -> true);
        assertEquals("no NAT64 prefix: discovery (RFC 7050, ipv4only.arpa) found none", noPrefix.error());
    }

    @Test
    void synthesizeKeepsThePortAndSkipsDuplicates() {
        Nat64 p = Nat64.parse("2001:db8:6464::/96");
        Inet4SockAddr a = Inet4SockAddr.parse("198.51.100.41", 443);
        Nat64Synthesis.Made m = Nat64Synthesis.synthesize(List.of(a), List.of(p, p));
        assertEquals(List.of(SockAddr.parse("2001:db8:6464::c633:6429", 443)), m.addresses());
        assertEquals(List.of(a), m.from());
        assertNull(m.note());
    }
}
