package io.dualsock;

import static io.dualsock.VirtualRace.AF_INET;
import static io.dualsock.VirtualRace.AF_INET6;
import static io.dualsock.VirtualRace.AF_UNSPEC;
import static io.dualsock.VirtualRace.NEVER;
import static io.dualsock.VirtualRace.v4;
import static io.dualsock.VirtualRace.v6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Every rule of the connect algorithm, on a virtual clock with scripted outcomes. */
class HappyEyeballsTest {
    private static final ConnectOptions HAPPY = ConnectOptions.happy();

    /** A dual-stack name: AAAA answers v6(2) after aaaaMs, A answers v4(2) after aMs. */
    private static VirtualRace dualStack(int aaaaMs, int aMs) {
        return new VirtualRace().answer(AF_INET6, aaaaMs, v6(2)).answer(AF_INET, aMs, v4(2));
    }

    private static HappyEyeballs.Outcome run(VirtualRace env, ConnectOptions o) throws NativeSocketException {
        HappyEyeballs.Outcome out = new HappyEyeballs(env, "dual.test", 80, o).run();
        // nothing leaks: only the winner is still open, and it is the caller's to take
        assertEquals(out.winner() < 0 ? Set.of() : Set.of(out.winner()), env.open, "sockets left open");
        for (ConnectTrace.Attempt a : out.trace().attempts()) {
            assertTrue(a.endMs() >= a.startMs(), "every attempt has ended: " + a);
            assertTrue(a.result() != null, "every attempt has a result: " + a);
        }
        return out;
    }

    private static List<Double> starts(HappyEyeballs.Outcome out) {
        return out.trace().attempts().stream().map(ConnectTrace.Attempt::startMs).toList();
    }

    private static List<String> results(HappyEyeballs.Outcome out) {
        return out.trace().attempts().stream().map(ConnectTrace.Attempt::result).toList();
    }

    @Test
    void bothFamiliesAreAskedApartAndAtOnce() throws Exception {
        VirtualRace env = dualStack(3, 2)
                .outcome(v6(2), 1, null);
        HappyEyeballs.Outcome out = run(env, HAPPY);
        assertEquals(List.of(AF_INET6, AF_INET), env.resolved);
        assertEquals(v6(2), out.trace().winner(), "healthy dual stack: IPv6");
        assertEquals(List.of(v6(2)), env.started);
        assertEquals(3.0, out.trace().resolutions().get(0).endMs());
        assertEquals(2.0, out.trace().resolutions().get(1).endMs());
    }

    @Test
    void blackholedIpv6GivesWayToIpv4AfterTheAttemptDelayAndIsNotAborted() throws Exception {
        VirtualRace env = dualStack(1, 1)
                .outcome(v6(2), 0, NEVER).outcome(v4(2), 2, null);
        HappyEyeballs.Outcome out = run(env, HAPPY);
        assertEquals(List.of(v6(2), v4(2)), env.started);
        assertEquals(List.of(1.0, 251.0), starts(out));
        assertEquals(List.of(ConnectTrace.ABANDONED, ConnectTrace.CONNECTED), results(out));
        assertEquals(v4(2), out.trace().winner());
        assertEquals(253.0, out.trace().elapsedMs());
    }

    @Test
    void theAttemptDelayIsConfigurable() throws Exception {
        VirtualRace env = dualStack(0, 0)
                .outcome(v6(2), 0, NEVER).outcome(v4(2), 1, null);
        HappyEyeballs.Outcome out = run(env, HAPPY.withAttemptDelay(Duration.ofMillis(10)));
        assertEquals(List.of(0.0, 10.0), starts(out));
    }

    @Test
    void attemptDelayOutsideTenMillisecondsToTwoSecondsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> HAPPY.withAttemptDelay(Duration.ofMillis(9)));
        assertThrows(IllegalArgumentException.class, () -> HAPPY.withAttemptDelay(Duration.ofMillis(2001)));
        assertThrows(IllegalArgumentException.class, () -> HAPPY.withFirstAddressFamilyCount(0));
        assertThrows(IllegalArgumentException.class, () -> HAPPY.withTimeout(Duration.ZERO));
    }

    @Test
    void familiesInterleaveIpv6First() throws Exception {
        VirtualRace env = new VirtualRace().answer(AF_INET6, 0, v6(2), v6(3), v6(4)).answer(AF_INET, 0, v4(2))
                .outcome(v6(2), 0, NEVER).outcome(v6(3), 0, NEVER).outcome(v4(2), 0, NEVER)
                .outcome(v6(4), 5, null);
        HappyEyeballs.Outcome out = run(env, HAPPY);
        assertEquals(List.of(v6(2), v4(2), v6(3), v6(4)), env.started);
        assertEquals(List.of(0.0, 250.0, 500.0, 750.0), starts(out));
        assertEquals(List.of("abandoned", "abandoned", "abandoned", "connected"), results(out));
    }

    @Test
    void firstAddressFamilyCountTriesThatManyIpv6AddressesFirst() throws Exception {
        VirtualRace env = new VirtualRace().answer(AF_INET6, 0, v6(2), v6(3), v6(4)).answer(AF_INET, 0, v4(2), v4(3))
                .outcome(v6(2), 0, "ENETUNREACH").outcome(v6(3), 0, "ENETUNREACH").outcome(v4(2), 0, "ECONNREFUSED")
                .outcome(v6(4), 0, "EHOSTUNREACH").outcome(v4(3), 0, null);
        HappyEyeballs.Outcome out = run(env, HAPPY.withFirstAddressFamilyCount(2));
        assertEquals(List.of(v6(2), v6(3), v4(2), v6(4), v4(3)), env.started);
    }

    @Test
    void aFailureStartsTheNextAttemptAtOnce() throws Exception {
        VirtualRace env = dualStack(0, 0)
                .outcome(v6(2), 3, "ECONNREFUSED").outcome(v4(2), 1, null);
        HappyEyeballs.Outcome out = run(env, HAPPY);
        assertEquals(List.of(0.0, 3.0), starts(out));
        assertEquals(List.of("ECONNREFUSED", "connected"), results(out));
        assertEquals(3.0, out.trace().attempts().get(0).endMs());
    }

    @Test
    void aSlowIpv6AttemptStillWinsAfterIpv4Started() throws Exception {
        VirtualRace env = dualStack(0, 0)
                .outcome(v6(2), 400, null).outcome(v4(2), 0, NEVER);
        HappyEyeballs.Outcome out = run(env, HAPPY);
        assertEquals(List.of(0.0, 250.0), starts(out));
        assertEquals(List.of("connected", "abandoned"), results(out));
        assertEquals(400.0, out.trace().elapsedMs());
    }

    @Test
    void aPositiveAaaaAnswerStartsAtOnceWithoutWaitingForA() throws Exception {
        VirtualRace env = dualStack(5, 100)
                .outcome(v6(2), 1, null);
        HappyEyeballs.Outcome out = run(env, HAPPY);
        assertEquals(List.of(5.0), starts(out));
        assertEquals(-1.0, out.trace().resolutions().get(1).endMs(), "A had not answered");
    }

    @Test
    void anAaaaAnswerWithinTheResolutionDelayComesFirst() throws Exception {
        VirtualRace env = new VirtualRace().answer(AF_INET, 10, v4(2)).answer(AF_INET6, 40, v6(2))
                .outcome(v6(2), 1, null).outcome(v4(2), 1, null);
        HappyEyeballs.Outcome out = run(env, HAPPY);
        assertEquals(List.of(v6(2)), env.started);
        assertEquals(List.of(40.0), starts(out));
    }

    @Test
    void anAaaaAnswerAfterTheResolutionDelayJoinsAtItsTurn() throws Exception {
        VirtualRace env = new VirtualRace().answer(AF_INET, 10, v4(2), v4(3)).answer(AF_INET6, 300, v6(2))
                .outcome(v4(2), 0, NEVER).outcome(v6(2), 1, null);
        HappyEyeballs.Outcome out = run(env, HAPPY);
        assertEquals(List.of(v4(2), v6(2)), env.started, "IPv4 after the resolution delay, then the late IPv6");
        assertEquals(List.of(60.0, 310.0), starts(out));
    }

    @Test
    void theResolutionDelayIsConfigurable() throws Exception {
        VirtualRace env = new VirtualRace().answer(AF_INET, 10, v4(2)).answer(AF_INET6, 300, v6(2))
                .outcome(v4(2), 1, null);
        HappyEyeballs.Outcome out = run(env, HAPPY.withResolutionDelay(Duration.ofMillis(100)));
        assertEquals(List.of(110.0), starts(out));
    }

    @Test
    void aNegativeAaaaAnswerDoesNotWaitTheResolutionDelay() throws Exception {
        VirtualRace env = new VirtualRace().answerError(AF_INET6, 5, "EAI_NONAME").answer(AF_INET, 20, v4(2))
                .outcome(v4(2), 1, null);
        HappyEyeballs.Outcome out = run(env, HAPPY);
        assertEquals(List.of(20.0), starts(out));
        assertEquals("EAI_NONAME", out.trace().resolutions().get(0).error());
    }

    @Test
    void everyAttemptFailingEndsWithTheLastErrno() throws Exception {
        VirtualRace env = dualStack(0, 0)
                .outcome(v6(2), 1, "ENETUNREACH").outcome(v4(2), 2, "ECONNREFUSED");
        HappyEyeballs.Outcome out = run(env, HAPPY);
        assertEquals(-1, out.winner());
        assertNull(out.trace().winner());
        assertTrue(out.trace().failure().startsWith("ECONNREFUSED"), out.trace().failure());
        assertEquals(List.of(0.0, 1.0), starts(out));
    }

    @Test
    void noAddressesEndWithBothResolverErrors() throws Exception {
        VirtualRace env = new VirtualRace().answerError(AF_INET6, 1, "EAI_NONAME").answerError(AF_INET, 2, "EAI_AGAIN");
        HappyEyeballs.Outcome out = run(env, HAPPY);
        assertEquals("no address: AAAA EAI_NONAME; A EAI_AGAIN", out.trace().failure());
        assertEquals("NO_ADDRESS", out.trace().failureName());
        assertEquals(2.0, out.trace().elapsedMs());
    }

    @Test
    void theTimeLimitClosesEveryAttempt() throws Exception {
        VirtualRace env = dualStack(0, 0)
                .outcome(v6(2), 0, NEVER).outcome(v4(2), 0, NEVER);
        HappyEyeballs.Outcome out = run(env, HAPPY.withTimeout(Duration.ofSeconds(1)));
        assertEquals(List.of("ETIMEDOUT", "ETIMEDOUT"), results(out));
        assertEquals(1000.0, out.trace().elapsedMs());
        assertEquals("ETIMEDOUT", out.trace().failureName());
    }

    @Test
    void theTimeLimitAlsoBoundsResolution() throws Exception {
        VirtualRace env = new VirtualRace(); // no answer ever
        HappyEyeballs.Outcome out = run(env, HAPPY.withTimeout(Duration.ofMillis(500)));
        assertEquals(-1.0, out.trace().resolutions().get(0).endMs());
        assertEquals(500.0, out.trace().elapsedMs());
    }

    @Test
    void cancellingClosesEveryAttempt() throws Exception {
        VirtualRace env = dualStack(0, 0)
                .outcome(v6(2), 0, NEVER).outcome(v4(2), 0, NEVER).cancelAt(300, "ECANCELED: cancelled");
        HappyEyeballs.Outcome out = run(env, HAPPY);
        assertEquals(List.of("ECANCELED", "ECANCELED"), results(out));
        assertEquals("ECANCELED: cancelled", out.trace().failure());
    }

    @Test
    void sequentialIsTheBooksLoop() throws Exception {
        // one AF_UNSPEC query, libc's order, the next address only once the previous one failed
        VirtualRace env = new VirtualRace().answer(AF_UNSPEC, 1, v6(2), v4(2))
                .outcome(v6(2), 127_000, "ETIMEDOUT").outcome(v4(2), 1, null);
        HappyEyeballs.Outcome out = run(env, ConnectOptions.sequential());
        assertEquals(List.of(AF_UNSPEC), env.resolved);
        assertEquals(List.of(1.0, 127_001.0), starts(out));
        assertEquals(List.of("ETIMEDOUT", "connected"), results(out));
        assertEquals("AF_UNSPEC", out.trace().resolutions().get(0).query());
    }

    @Test
    void traceAsTextAndJson() throws Exception {
        VirtualRace env = dualStack(1, 1)
                .outcome(v6(2), 0, NEVER).outcome(v4(2), 2, null);
        ConnectTrace t = run(env, HAPPY).trace();
        String json = t.toJson();
        assertTrue(json.contains("\"attempts\":[{\"address\":\"2001:db8::2\",\"port\":80,\"family\":\"IPv6\","
                + "\"start_ms\":1.0,\"end_ms\":253.0,\"result\":\"abandoned\"}"), json);
        assertTrue(json.contains("\"connected\":true"), json);
        assertTrue(json.contains("\"elapsed_ms\":253.0"), json);
        assertTrue(json.contains("{\"query\":\"AAAA\",\"end_ms\":1.0,\"addresses\":[\"2001:db8::2\"],\"error\":null}"),
                json);
        String text = t.toText();
        assertTrue(text.contains("connected to 198.51.100.2:80 after 253.0 ms"), text);
        assertTrue(text.lines().anyMatch(l -> l.contains("#2") && l.contains("IPv4") && l.contains("251.0")), text);
    }
}
