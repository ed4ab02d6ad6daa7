package io.dualsock.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.dualsock.AddrInfo;
import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.NativeSocket;

/** {@code dualsock connect}: exit codes, bad input, the address loop, and the text output. */
class ConnectCommandTest {

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "-1", "http", "99999999999"})
    void portOutOfRangeIsUsage(String port) {
        Cli.Result r = Cli.run("connect", "127.0.0.1", port);
        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().startsWith("dualsock connect: USAGE: "), r::toString);
        assertEquals("", r.out(), "nothing was tried");
    }

    @Test
    void badOptionsAreUsage() {
        List<String[]> bad = List.of(
                new String[] {"--timeout", "-1"},
                new String[] {"--timeout", "soon"},
                new String[] {"--family", "inet7"},
                new String[] {"--flags", "v4mappd"},
                new String[] {"--proto", "sctp"},
                new String[] {"--udp-mode", "connected"}, // with the default --proto tcp
                new String[] {"--proto", "udp", "--udp-mode", "half"});
        for (String[] opts : bad) {
            String[] args = new String[opts.length + 3];
            args[0] = "connect";
            args[1] = "127.0.0.1";
            args[2] = "9";
            System.arraycopy(opts, 0, args, 3, opts.length);
            Cli.Result r = Cli.run(args);
            assertEquals(ExitCodes.USAGE, r.code(), () -> String.join(" ", args) + "\n" + r);
            assertTrue(r.err().startsWith("dualsock connect: USAGE: "), r::toString);
        }
    }

    @Test
    void refusedConnectionIsExitOneWithErrnoName() throws Exception {
        // A bound TCP socket that does not listen: the kernel answers the SYN with RST.
        try (NativeSocket closed = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_STREAM)) {
            closed.bind(Inet4SockAddr.loopback(0));
            int port = closed.localAddress().port();
            Cli.Result r = Cli.run("connect", "127.0.0.1", Integer.toString(port));
            assertEquals(ExitCodes.FAILURE, r.code(), r::toString);
            assertTrue(r.err().startsWith("dualsock connect: ECONNREFUSED: no attempt succeeded: 127.0.0.1:" + port
                    + " connect ECONNREFUSED"), r::toString);
            assertTrue(r.out().contains("connect 127.0.0.1:" + port + ": connect ECONNREFUSED"), r::toString);
            assertTrue(r.out().contains("0 of 1 attempts succeeded"), r::toString);

            Cli.Result j = Cli.run("connect", "127.0.0.1", Integer.toString(port), "--json");
            assertEquals(ExitCodes.FAILURE, j.code(), j::toString);
            JsonNode a = j.json().get("attempts").get(0);
            assertFalse(a.get("ok").asBoolean());
            assertEquals("connect", a.get("failure").get("call").asText());
            assertEquals("ECONNREFUSED", a.get("failure").get("errno").asText());
            assertTrue(a.get("local").isNull() && a.get("peer").isNull());
        }
    }

    @Test
    void resolverFailureIsExitOneWithEaiName() {
        // AI_NUMERICHOST: no lookup happens, libc answers EAI_NONAME at once.
        Cli.Result r = Cli.run("connect", "nosuch.invalid", "80", "--flags", "numerichost", "--json");
        assertEquals(ExitCodes.FAILURE, r.code(), r::toString);
        assertTrue(r.err().startsWith("dualsock connect: EAI_NONAME: "), r::toString);
        assertEquals("EAI_NONAME", r.json().get("error").asText());
        assertEquals(0, r.json().get("attempts").size());
    }

    @Test
    void inet6DefaultsToV4mapped() throws Exception {
        try (Served served = Served.start("--family", "inet", "--count", "1", "0")) {
            Cli.Result r = Cli.run("connect", "127.0.0.1", Integer.toString(served.port), "--family", "inet6");
            assertEquals(0, r.code(), r::toString);
            assertTrue(r.out().startsWith("getaddrinfo(\"127.0.0.1\", \"" + served.port
                    + "\", {family=AF_INET6, socktype=SOCK_STREAM, protocol=0, flags=AI_V4MAPPED})"), r::toString);
            assertTrue(r.out().contains("::ffff:127.0.0.1"), r::toString);
            assertTrue(r.out().contains("1 of 1 attempts succeeded"), r::toString);
            assertTrue(served.nextLine().startsWith("accept   peer 127.0.0.1:"), served.allLines()::toString);
            assertEquals(0, served.exit());
        }
        // An explicit --flags replaces the default: without AI_V4MAPPED an IPv4 literal is no AF_INET6
        // answer (AI_NUMERICHOST keeps libc from trying the text as a name).
        Cli.Result r = Cli.run("connect", "127.0.0.1", "9", "--family", "inet6", "--flags", "numerichost");
        assertEquals(ExitCodes.FAILURE, r.code(), r::toString);
        assertTrue(r.err().startsWith("dualsock connect: EAI_"), r::toString);
    }

    @Test
    void helpNamesTheDefaults() {
        Cli.Result r = Cli.run("connect", "--help");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("v4mapped") && r.out().contains("unspec") && r.out().contains("tcp_connect"), r::toString);
    }

    /**
     * The tcp_connect loop, on a list made here (a numeric host gives one address, and a name
     * with several would need DNS): a refused address, then a served one twice.
     */
    @Test
    void triesAddressesInOrderAndAllWithAllAddresses() throws Exception {
        try (NativeSocket closed = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_STREAM);
                Served served = Served.start("--family", "inet6", "--v6only", "false", "--count", "3", "--json", "0")) {
            closed.bind(Inet4SockAddr.loopback(0));
            int stream = NativeSocket.SOCK_STREAM;
            List<AddrInfo> list = List.of(
                    new AddrInfo(NativeSocket.AF_INET, stream, 0, 0, closed.localAddress(), null),
                    new AddrInfo(NativeSocket.AF_INET6, stream, 0, 0, Inet6SockAddr.loopback(served.port), null),
                    new AddrInfo(NativeSocket.AF_INET, stream, 0, 0, Inet4SockAddr.loopback(served.port), null));

            ConnectCommand first = new ConnectCommand();
            List<ConnectCommand.Attempt> once = first.tryAll(list, "connect", a -> {});
            assertEquals(2, once.size(), "stops at the first success: " + once);
            assertEquals("ECONNREFUSED", once.get(0).failure().errno());
            assertTrue(once.get(1).ok(), once::toString);

            ConnectCommand all = new ConnectCommand();
            all.allAddresses = true;
            List<ConnectCommand.Attempt> every = all.tryAll(list, "connect", a -> {});
            assertEquals(3, every.size(), every::toString);
            assertEquals(List.of(false, true, true), every.stream().map(ConnectCommand.Attempt::ok).toList());
            assertEquals(List.of(1, 2, 3), every.stream().map(ConnectCommand.Attempt::index).toList());

            // The server saw the three successful attempts, in order, as the kernel reported them.
            List<ConnectCommand.Attempt> ok = List.of(once.get(1), every.get(1), every.get(2));
            for (ConnectCommand.Attempt a : ok) {
                JsonNode accept;
                do {
                    accept = served.nextEvent();
                } while (!accept.get("event").asText().equals("accept"));
                assertEquals(ServeConnectTest.seenByServer(NativeSocket.AF_INET6, a.local(), a.ai().address()),
                        ServeConnectTest.sockAddr(accept.get("peer")));
            }
            assertEquals(0, served.exit());
        }
    }

    @Test
    void udpTextOutputShowsReplySource() throws Exception {
        try (Served served = Served.start("--family", "inet6", "--proto", "udp", "--count", "1", "0")) {
            Cli.Result r = Cli.run("connect", "::1", Integer.toString(served.port), "--proto", "udp", "--message", "tab\there");
            assertEquals(0, r.code(), r::toString);
            assertTrue(r.out().contains("sendto [::1]:" + served.port + ": ok"), r::toString);
            assertTrue(r.out().contains("reply 9 bytes from [::1]:" + served.port + ": \"tab\\there\\n\""), r::toString);
            String line = served.nextLine();
            assertTrue(line.startsWith("recvmsg 9 bytes from [::1]:"), served.allLines()::toString);
            // the destination and interface from IPV6_PKTINFO, and the reply sent from that address
            assertTrue(line.contains(" to ::1 (ifindex ") && line.contains("sendmsg it back from ::1: 9"), line);
            assertEquals(0, served.exit());
        }
    }
}
