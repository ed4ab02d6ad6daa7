package io.dualsock;

import static io.dualsock.VirtualRace.AF_INET;
import static io.dualsock.VirtualRace.AF_INET6;
import static io.dualsock.VirtualRace.NEVER;
import static io.dualsock.VirtualRace.v6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * RFC 8305 §7 in the connect algorithm, on the virtual clock: IPv4 literals (and names with only
 * A records) on an IPv6-only host are reached through addresses synthesized with a NAT64 prefix,
 * the trace says from which IPv4 address, and a host with IPv4 sees no change.
 */
class HappyEyeballsNat64Test {
    private static final Nat64 NSP = Nat64.parse("2001:db8:6464::/96");
    private static final ConnectOptions GIVEN = ConnectOptions.happy().withNat64(NSP);
    private static final Inet4SockAddr LITERAL = Inet4SockAddr.parse("198.51.100.41", 80);
    private static final SockAddr SYNTH = SockAddr.parse("2001:db8:6464::c633:6429", 80);

    private static HappyEyeballs.Outcome run(VirtualRace env, String host, ConnectOptions o) throws NativeSocketException {
        HappyEyeballs.Outcome out = new HappyEyeballs(env, host, 80, o).run();
        assertEquals(out.winner() < 0 ? java.util.Set.of() : java.util.Set.of(out.winner()), env.open, "sockets left open");
        return out;
    }

    /** What glibc answers for an IPv4 literal on an IPv6-only host: AF_INET6 refuses it, AI_ADDRCONFIG refuses AF_INET. */
    private static VirtualRace ipv6OnlyHostAskedForTheLiteral() {
        return new VirtualRace().answerError(AF_INET6, 0, "EAI_ADDRFAMILY").answerError(AF_INET, 0, "EAI_NONAME");
    }

    @Test
    void anIpv4LiteralOnAnIpv6OnlyHostIsTriedThroughTheGivenPrefix() throws Exception {
        VirtualRace env = ipv6OnlyHostAskedForTheLiteral().ipv6Only(1, null, LITERAL).outcome(SYNTH, 2, null);
        HappyEyeballs.Outcome out = run(env, "198.51.100.41", GIVEN);
        assertEquals(List.of(SYNTH), env.started, "the synthesized address is what is attempted");
        ConnectTrace t = out.trace();
        assertEquals(SYNTH, t.winner());
        ConnectTrace.Attempt a = t.attempts().get(0);
        assertEquals("IPv6", a.family());
        assertEquals(LITERAL, a.synthesizedFrom(), "the trace names the IPv4 address behind the attempt");
        assertEquals(1.0, a.startMs(), "tried as soon as the prefix is known");
        ConnectTrace.Synthesis s = t.nat64();
        assertEquals("given", s.source());
        assertEquals(List.of(NSP), s.prefixes());
        assertEquals(List.of(LITERAL), s.ipv4());
        assertEquals(List.of(SYNTH), s.synthesized());
        assertNull(s.note());
        String text = t.toText();
        assertTrue(text.contains("  NAT64           1.0 ms  IPv6-only host, IPv4 198.51.100.41 through 2001:db8:6464::/96 (given): "
                + "1 address synthesized\n"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("  #1  IPv6 [2001:db8:6464::c633:6429]:80")
                && l.endsWith("connected  (NAT64 of 198.51.100.41)")), text);
        String json = t.toJson();
        assertTrue(json.contains("\"result\":\"connected\",\"nat64_of\":\"198.51.100.41\"}"), json);
        assertTrue(json.endsWith(",\"nat64\":{\"source\":\"given\",\"end_ms\":1.0,\"ipv4\":[\"198.51.100.41\"],"
                + "\"prefixes\":[\"2001:db8:6464::/96\"],\"synthesized\":[\"2001:db8:6464::c633:6429\"],\"note\":null}}"), json);
    }

    @Test
    void aHostWithIpv4SeesNoChange() throws Exception {
        // Both queries fail, the NAT64 check says the host has IPv4: the failure and the trace are as before.
        VirtualRace env = new VirtualRace().answerError(AF_INET6, 1, "EAI_NONAME").answerError(AF_INET, 2, "EAI_AGAIN");
        HappyEyeballs.Outcome out = run(env, "dual.test", GIVEN);
        assertEquals(1, env.nat64Asked);
        assertEquals("no address: AAAA EAI_NONAME; A EAI_AGAIN", out.trace().failure());
        assertNull(out.trace().nat64());
        assertFalse(out.trace().toText().contains("NAT64"));
        assertFalse(out.trace().toJson().contains("nat64"));
        // an A answer with addresses never asks: the host has IPv4 (AI_ADDRCONFIG let the query through)
        VirtualRace four = new VirtualRace().answerError(AF_INET6, 0, "EAI_ADDRFAMILY").answer(AF_INET, 0, VirtualRace.v4(9))
                .outcome(VirtualRace.v4(9), 1, "ECONNREFUSED").ipv6Only(0, null, LITERAL);
        run(four, "198.51.100.9", GIVEN);
        assertEquals(0, four.nat64Asked);
    }

    @Test
    void withoutNat64NothingIsAskedAndTheLiteralFailsAsBefore() throws Exception {
        VirtualRace env = ipv6OnlyHostAskedForTheLiteral().ipv6Only(1, null, LITERAL);
        HappyEyeballs.Outcome out = run(env, "198.51.100.41", ConnectOptions.happy().withNat64Discovery(null));
        assertEquals(0, env.nat64Asked);
        assertEquals("no address: AAAA EAI_ADDRFAMILY; A EAI_NONAME", out.trace().failure());
        assertEquals(List.of(), env.started);
        // SEQUENTIAL is the book's loop: no RFC 8305 §7 there either
        VirtualRace seq = new VirtualRace().answerError(VirtualRace.AF_UNSPEC, 0, "EAI_NONAME").ipv6Only(1, null, LITERAL);
        run(seq, "198.51.100.41", ConnectOptions.sequential().withNat64(NSP));
        assertEquals(0, seq.nat64Asked);
    }

    @Test
    void noPrefixFailsSayingSo() throws Exception {
        VirtualRace env = ipv6OnlyHostAskedForTheLiteral()
                .ipv6Only(3, "no NAT64 prefix: discovery (RFC 7050, ipv4only.arpa) found none", LITERAL);
        HappyEyeballs.Outcome out = run(env, "198.51.100.41", ConnectOptions.happy());
        assertEquals("no address: AAAA EAI_ADDRFAMILY; A EAI_NONAME; IPv6-only host: no NAT64 prefix: discovery (RFC 7050, "
                + "ipv4only.arpa) found none", out.trace().failure());
        assertEquals("NO_ADDRESS", out.trace().failureName());
        assertEquals("discovered", out.trace().nat64().source());
        assertEquals(List.of(), out.trace().nat64().synthesized());
        assertEquals(3.0, out.trace().elapsedMs());
        // a discovery that throws is reported the same way
        VirtualRace failing = ipv6OnlyHostAskedForTheLiteral().ipv6Only(0, null, LITERAL);
        ConnectTrace t = run(failing, "198.51.100.41", ConnectOptions.happy().withNat64Discovery(() -> {
            throw new ResolverException("getaddrinfo", "ipv4only.arpa", -3, "EAI_AGAIN", "Temporary failure", 0, null, null);
        })).trace();
        assertTrue(t.failure().endsWith("IPv6-only host: no NAT64 prefix: discovery failed with EAI_AGAIN"), t.failure());
    }

    @Test
    void synthesizedAddressesAreTriedInOrderAttemptDelayApartAndNoneIsAborted() throws Exception {
        Nat64 second = Nat64.parse("2001:db8:122::/48");
        Inet4SockAddr b = Inet4SockAddr.parse("198.51.100.42", 80);
        SockAddr s1 = NSP.synthesize(LITERAL), s2 = second.synthesize(LITERAL), s3 = NSP.synthesize(b), s4 = second.synthesize(b);
        VirtualRace env = new VirtualRace().answer(AF_INET6, 0).answerError(AF_INET, 0, "EAI_NONAME")
                .ipv6Only(5, null, LITERAL, Inet4SockAddr.parse("127.0.0.1", 80), b)
                .outcome(s1, 0, NEVER).outcome(s2, 1, "ECONNREFUSED").outcome(s3, 0, NEVER).outcome(s4, 10, null);
        HappyEyeballs.Outcome out = run(env, "a-only.test", ConnectOptions.happy().withNat64Discovery(() -> List.of(NSP, second)));
        assertEquals(List.of(s1, s2, s3, s4), env.started, "each IPv4 address under each prefix in turn");
        List<Double> starts = new ArrayList<>();
        List<Inet4SockAddr> from = new ArrayList<>();
        for (ConnectTrace.Attempt a : out.trace().attempts()) {
            starts.add(a.startMs());
            from.add(a.synthesizedFrom());
        }
        assertEquals(List.of(5.0, 255.0, 256.0, 506.0), starts, "250 ms apart; a refusal starts the next at once");
        assertEquals(List.of(LITERAL, LITERAL, b, b), from);
        assertEquals(List.of("abandoned", "ECONNREFUSED", "abandoned", "connected"),
                out.trace().attempts().stream().map(ConnectTrace.Attempt::result).toList());
        assertEquals("127.0.0.1 is host-scoped, not synthesized (RFC 8305 §7.1)", out.trace().nat64().note());
        assertEquals("discovered", out.trace().nat64().source());
    }

    @Test
    void theStrictWellKnownPrefixRefusesNonGlobalAddresses() throws Exception {
        VirtualRace env = ipv6OnlyHostAskedForTheLiteral().ipv6Only(0, null, LITERAL);
        ConnectTrace t = run(env, "198.51.100.41", ConnectOptions.happy().withNat64(Nat64.WELL_KNOWN)).trace();
        assertTrue(t.failure().endsWith("IPv6-only host: 64:ff9b::/96 must not carry the non-global 198.51.100.41 (RFC 6052 §3.1)"),
                t.failure());
        SockAddr wk = SockAddr.parse("64:ff9b::c633:6429", 80);
        VirtualRace lab = ipv6OnlyHostAskedForTheLiteral().ipv6Only(0, null, LITERAL).outcome(wk, 1, null);
        ConnectTrace ok = run(lab, "198.51.100.41", ConnectOptions.happy().withNat64(Nat64.WELL_KNOWN.permitNonGlobal())).trace();
        assertEquals(wk, ok.winner());
    }

    @Test
    void afterFailedAaaaAddressesTheSynthesizedOnesAreTheLastResort() throws Exception {
        VirtualRace env = new VirtualRace().answer(AF_INET6, 0, v6(2)).answerError(AF_INET, 0, "EAI_NONAME")
                .outcome(v6(2), 1, "ECONNREFUSED").ipv6Only(2, null, LITERAL).outcome(SYNTH, 1, null);
        HappyEyeballs.Outcome out = run(env, "broken-aaaa.test", GIVEN);
        assertEquals(List.of(v6(2), SYNTH), env.started);
        assertNull(out.trace().attempts().get(0).synthesizedFrom());
        assertEquals(LITERAL, out.trace().attempts().get(1).synthesizedFrom());
        assertEquals(3.0, out.trace().attempts().get(1).startMs());
    }

    @Test
    void anAddressTheAaaaAnswerAlreadyHadIsNotTriedAgainNorRelabelled() throws Exception {
        VirtualRace env = new VirtualRace().answer(AF_INET6, 0, SYNTH).answerError(AF_INET, 0, "EAI_NONAME")
                .outcome(SYNTH, 1, "ECONNREFUSED").ipv6Only(0, null, LITERAL);
        HappyEyeballs.Outcome out = run(env, "dns64.test", GIVEN);
        assertEquals(List.of(SYNTH), env.started);
        assertNull(out.trace().attempts().get(0).synthesizedFrom());
        assertEquals("ECONNREFUSED: every attempt failed", out.trace().failure());
    }

    @Test
    void theTimeLimitAlsoBoundsDiscovery() throws Exception {
        VirtualRace env = ipv6OnlyHostAskedForTheLiteral().ipv6Only(5000, null, LITERAL);
        HappyEyeballs.Outcome out = run(env, "198.51.100.41", ConnectOptions.happy().withTimeout(Duration.ofSeconds(1)));
        assertEquals("ETIMEDOUT", out.trace().failureName());
        assertEquals(1000.0, out.trace().elapsedMs());
    }
}
