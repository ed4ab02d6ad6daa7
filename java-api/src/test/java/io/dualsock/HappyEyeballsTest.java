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
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /**
     * A dual-stack name whose IPv6 and IPv4 attempts each end after the given milliseconds
     * (connected, an errno, or never): when each attempt started, how it ended, when the race
     * ended, and its winner or failure. A blackholed IPv6 attempt gives way after the attempt
     * delay and is not aborted; a failure starts the next attempt at once; a slow IPv6 attempt
     * still wins after IPv4 started; the time limit closes every attempt.
     */
    @ParameterizedTest(name = "[{index}] IPv6 {1}, IPv4 {2}, {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
        # AAAA A ms | IPv6 attempt ms   | IPv4 attempt ms    | options          | starts | results                   | ends at | winner or failure
        1 1         | 0 never           | 2 connected        | -                | 1 251  | abandoned connected       | 253     | 198.51.100.2:80
        0 0         | 0 never           | 1 connected        | attempt delay 10 | 0 10   | abandoned connected       | 11      | 198.51.100.2:80
        0 0         | 3 ECONNREFUSED    | 1 connected        | -                | 0 3    | ECONNREFUSED connected    | 4       | 198.51.100.2:80
        0 0         | 400 connected     | 0 never            | -                | 0 250  | connected abandoned       | 400     | [2001:db8::2]:80
        0 0         | 1 ENETUNREACH     | 2 ECONNREFUSED     | -                | 0 1    | ENETUNREACH ECONNREFUSED  | 3       | ECONNREFUSED
        0 0         | 0 never           | 0 never            | time limit 1000  | 0 250  | ETIMEDOUT ETIMEDOUT       | 1000    | ETIMEDOUT
        """)
    void twoAttempts(String answers, String ipv6, String ipv4, String options, String starts, String results, double endMs,
                     String ends) throws Exception {
        String[] ms = answers.split(" ");
        VirtualRace env = dualStack(Integer.parseInt(ms[0]), Integer.parseInt(ms[1]));
        attempt(env, v6(2), ipv6);
        attempt(env, v4(2), ipv4);
        HappyEyeballs.Outcome out = run(env, options(options));
        assertEquals(Arrays.stream(starts.split(" ")).map(Double::valueOf).toList(), starts(out));
        assertEquals(List.of(results.split(" ")), results(out));
        assertEquals(endMs, out.trace().elapsedMs());
        if (out.trace().winner() != null) {
            assertEquals(ends, out.trace().winner().toString());
        } else {
            assertEquals(-1, out.winner());
            assertEquals(ends, out.trace().failureName());
        }
    }

    /** "MS connected", "MS never" or "MS ERRNO": the attempt to address ends so after it starts. */
    private static void attempt(VirtualRace env, SockAddr address, String outcome) {
        String[] f = outcome.split(" ");
        env.outcome(address, Integer.parseInt(f[0]), f[1].equals("connected") ? null : f[1]);
    }

    /** The defaults, "attempt delay MS" or "time limit MS". */
    private static ConnectOptions options(String text) {
        if (text == null) return HAPPY;
        Duration ms = Duration.ofMillis(Long.parseLong(text.substring(text.lastIndexOf(' ') + 1)));
        return text.startsWith("attempt delay") ? HAPPY.withAttemptDelay(ms) : HAPPY.withTimeout(ms);
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
    void noAddressesEndWithBothResolverErrors() throws Exception {
        VirtualRace env = new VirtualRace().answerError(AF_INET6, 1, "EAI_NONAME").answerError(AF_INET, 2, "EAI_AGAIN");
        HappyEyeballs.Outcome out = run(env, HAPPY);
        assertEquals("no address: AAAA EAI_NONAME; A EAI_AGAIN", out.trace().failure());
        assertEquals("NO_ADDRESS", out.trace().failureName());
        assertEquals(2.0, out.trace().elapsedMs());
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
