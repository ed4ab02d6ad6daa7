package io.dualsock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 7050 §3 from synthetic answer lists: what {@link Nat64#fromAnswers} learns from the AAAA
 * addresses a DNS64 server would return for {@code ipv4only.arpa}. {@link Nat64#discover()}
 * itself asks the network's DNS and is never called here (it would send a query off the
 * machine); the lab exercises it inside its namespaces.
 */
class Nat64DiscoveryTest {
    private static final Inet4SockAddr WKA_170 = Inet4SockAddr.parse("192.0.0.170", 0);
    private static final Inet4SockAddr WKA_171 = Inet4SockAddr.parse("192.0.0.171", 0);

    private static List<SockAddr> answersFor(Nat64 p) {
        Nat64 any = p.permitNonGlobal(); // the WKAs are in 192.0.0.0/24, non-global, yet DNS64 synthesizes them
        return List.of(any.synthesize(WKA_170), any.synthesize(WKA_171));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2001:db8::/32", "2001:db8:100::/40", "2001:db8:122::/48", "2001:db8:122:300::/56",
        "2001:db8:122:344::/64", "2001:db8:122:344::/96", "64:ff9b::/96"})
    void findsEachLengthFromBothAnswersAndFromEither(String prefix) {
        Nat64 p = Nat64.parse(prefix);
        List<SockAddr> both = answersFor(p);
        assertEquals(List.of(p), Nat64.fromAnswers(both));
        assertEquals(List.of(p), Nat64.fromAnswers(both.subList(0, 1)), "192.0.0.170 alone");
        assertEquals(List.of(p), Nat64.fromAnswers(both.subList(1, 2)), "192.0.0.171 alone");
    }

    @Test
    void wellKnownPrefixComesBackStrict() {
        assertSame(Boolean.FALSE, Nat64.fromAnswers(answersFor(Nat64.WELL_KNOWN)).get(0).permitsNonGlobal());
        assertEquals(List.of(Nat64.WELL_KNOWN), Nat64.fromAnswers(List.of(Inet6SockAddr.parse("64:ff9b::c000:aa", 0))));
    }

    @Test
    void severalPrefixesInAnswerOrderWithoutDuplicates() {
        Nat64 a = Nat64.parse("2001:db8:64::/96");
        Nat64 b = Nat64.parse("2001:db8:aaaa::/48");
        List<SockAddr> answers = new ArrayList<>(answersFor(a));
        answers.addAll(answersFor(b));
        answers.addAll(answersFor(a));
        assertEquals(List.of(a, b), Nat64.fromAnswers(answers));
        assertEquals(List.of(b, a), Nat64.fromAnswers(List.of(answers.get(3), answers.get(0))));
    }

    @Test
    void noMatchGivesNothing() {
        assertEquals(List.of(), Nat64.fromAnswers(List.of()));
        assertEquals(List.of(), Nat64.fromAnswers(List.of(
                Inet6SockAddr.parse("2001:db8::1", 0),
                Inet6SockAddr.parse("64:ff9b::c000:ac", 0),       // 192.0.0.172: not a well-known address
                Inet4SockAddr.parse("192.0.0.170", 0),            // an A answer
                WKA_170.toMapped(),                               // ::ffff:192.0.0.170 is mapped, not NAT64
                Inet6SockAddr.parse("2001:db8:c000:aa01:100::", 0)))); // 192.0.0.170 at /32 but the u octet is set
    }

    @Test
    void mixedAnswersKeepOnlyTheMatches() {
        Nat64 p = Nat64.parse("2001:db8:122:344::/64");
        List<SockAddr> answers = new ArrayList<>();
        answers.add(Inet6SockAddr.parse("2001:db8::53", 0));
        answers.addAll(answersFor(p));
        answers.add(Inet4SockAddr.parse("192.0.0.171", 0));
        assertEquals(List.of(p), Nat64.fromAnswers(answers));
    }

    /** The prefix 2001:db8:c000:aa::/96 holds 192.0.0.170 at the /32 position itself. */
    @Test
    void ambiguousPositionIsSettledByTheSecondWellKnownAddress() {
        Nat64 p = Nat64.parse("2001:db8:c000:aa::/96");
        List<SockAddr> both = answersFor(p);
        assertEquals(List.of(p), Nat64.fromAnswers(both));
        assertEquals(List.of(p), Nat64.fromAnswers(List.of(both.get(1), both.get(0))));
        // 192.0.0.170 alone matches at /32 and /96 with nothing to tell them apart: no answer
        assertEquals(List.of(), Nat64.fromAnswers(both.subList(0, 1)));
        // 192.0.0.171 alone still shows 192.0.0.170 at /32: two readings, none confirmed by both addresses
        assertEquals(List.of(), Nat64.fromAnswers(both.subList(1, 2)));
    }

    @Test
    void portsAreIgnoredAndNullsRefused() {
        Nat64 p = Nat64.parse("2001:db8:100::/40");
        List<SockAddr> withPorts = answersFor(p).stream().map(a -> (SockAddr) a.withPort(443)).toList();
        assertEquals(List.of(p), Nat64.fromAnswers(withPorts));
        assertThrows(NullPointerException.class, () -> Nat64.fromAnswers(null));
        assertThrows(NullPointerException.class, () -> Nat64.fromAnswers(Arrays.asList(withPorts.get(0), null)));
    }
}
