package io.dualsock.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.NativeSocket;
import io.dualsock.SocketOptions;

/** {@code dualsock connect --happy/--sequential}: the timeline, its JSON, exit codes (numeric hosts only). */
class ConnectHappyTest {

    private static NativeSocket listener(boolean six) throws Exception {
        NativeSocket l = NativeSocket.open(six ? NativeSocket.AF_INET6 : NativeSocket.AF_INET, NativeSocket.SOCK_STREAM);
        if (six) l.setOption(SocketOptions.IpprotoIpv6.IPV6_V6ONLY, true);
        l.bind(six ? Inet6SockAddr.loopback(0) : Inet4SockAddr.loopback(0));
        l.listen(4);
        return l;
    }

    @Test
    void happyConnectPrintsTheTimelineAsJson() throws Exception {
        try (NativeSocket l = listener(true)) {
            String port = Integer.toString(l.localAddress().port());
            Cli.Result r = Cli.run("connect", "::1", port, "--happy", "--attempt-delay", "100", "--json");
            assertEquals(ExitCodes.OK, r.code(), r::toString);
            JsonNode j = r.json();
            assertTrue(j.get("connected").asBoolean(), r::toString);
            assertEquals(100, j.get("attempt_delay_ms").asInt());
            JsonNode a = j.get("attempts").get(0);
            assertEquals("::1", a.get("address").asText());
            assertEquals("IPv6", a.get("family").asText());
            assertEquals("connected", a.get("result").asText());
            assertTrue(a.get("end_ms").asDouble() >= a.get("start_ms").asDouble());
            assertTrue(j.get("elapsed_ms").isNumber());
            assertEquals("[::1]:" + port, j.get("peer").asText());
        }
    }

    @Test
    void happyConnectPrintsTheTimelineAsText() throws Exception {
        try (NativeSocket l = listener(false)) {
            String port = Integer.toString(l.localAddress().port());
            Cli.Result r = Cli.run("connect", "127.0.0.1", port, "--happy");
            assertEquals(ExitCodes.OK, r.code(), r::toString);
            assertTrue(r.out().startsWith("connect 127.0.0.1 port " + port + " (happy, attempt delay 250 ms)"), r::toString);
            assertTrue(r.out().contains("#1  IPv4 127.0.0.1:" + port), r::toString);
            assertTrue(r.out().contains("connected to 127.0.0.1:" + port + " after"), r::toString);
        }
    }

    @Test
    void refusedIsExitOneWithTheErrno() throws Exception {
        int port;
        try (NativeSocket closed = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_STREAM)) {
            closed.bind(Inet4SockAddr.loopback(0));
            port = closed.localAddress().port();
            Cli.Result r = Cli.run("connect", "127.0.0.1", Integer.toString(port), "--sequential", "--json");
            assertEquals(ExitCodes.FAILURE, r.code(), r::toString);
            assertTrue(r.err().startsWith("dualsock connect: ECONNREFUSED: "), r::toString);
            assertEquals("sequential", r.json().get("mode").asText());
            assertEquals("ECONNREFUSED", r.json().get("attempts").get(0).get("result").asText());
            assertTrue(r.json().get("peer").isNull());
        }
    }

    @Test
    void badSettingsAreUsageErrors() {
        for (String[] extra : new String[][] {{"--attempt-delay", "5"}, {"--attempt-delay", "2001"},
                {"--first-family-count", "0"}, {"--sequential"}, {"--proto", "udp"}, {"--family", "inet"}}) {
            String[] args = new String[4 + extra.length];
            args[0] = "connect";
            args[1] = "127.0.0.1";
            args[2] = "9";
            args[3] = "--happy";
            System.arraycopy(extra, 0, args, 4, extra.length);
            Cli.Result r = Cli.run(args);
            assertEquals(ExitCodes.USAGE, r.code(), r::toString);
            assertTrue(r.err().startsWith("dualsock connect: USAGE: "), r::toString);
        }
    }
}
