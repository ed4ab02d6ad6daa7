package io.dualsock.cli;

import io.dualsock.cli.output.Json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.SockAddr;

/**
 * {@code serve} and {@code connect} against each other in-process on loopback, both with
 * {@code --json}: for every server family and IPV6_V6ONLY setting and every client family, the
 * peer the server reports must be the client's own endpoint (its getsockname, or for an
 * unconnected UDP client its port and the loopback destination) in the form the server's
 * socket family gives it: mapped for an AF_INET6 server, plain for an AF_INET one.
 */
class ServeConnectTest {

    record Case(String name, String proto, String udpMode, List<String> serve, List<String> connect, boolean reaches) {
        @Override
        public String toString() {
            return name + " " + proto + (udpMode == null ? "" : " " + udpMode);
        }
    }

    static Stream<Arguments> cases() {
        List<Case> base = List.of(
                new Case("dual-stack server, IPv4 client", null, null,
                        List.of("--family", "inet6", "--v6only", "false"), List.of("127.0.0.1"), true),
                new Case("dual-stack server, AF_INET6+AI_V4MAPPED client", null, null,
                        List.of("--family", "inet6", "--v6only", "false"), List.of("127.0.0.1", "--family", "inet6"), true),
                new Case("dual-stack server, IPv6 client", null, null,
                        List.of("--family", "inet6", "--v6only", "false"), List.of("::1"), true),
                new Case("IPv4 server, AF_INET6+AI_V4MAPPED client", null, null,
                        List.of("--family", "inet"), List.of("127.0.0.1", "--family", "inet6"), true),
                new Case("IPv4 server via --bind, IPv4 client", null, null,
                        List.of("--bind", "127.0.0.1"), List.of("127.0.0.1", "--family", "inet"), true),
                new Case("V6ONLY server, IPv6 client", null, null,
                        List.of("--family", "inet6", "--v6only", "true"), List.of("::1", "--family", "inet6"), true),
                new Case("V6ONLY server, IPv4 client", null, null,
                        List.of("--family", "inet6", "--v6only", "true"), List.of("127.0.0.1"), false),
                new Case("IPv4 server, IPv6 client", null, null,
                        List.of("--family", "inet"), List.of("::1"), false));
        List<Arguments> all = new ArrayList<>();
        for (Case c : base) {
            all.add(Arguments.of(new Case(c.name, "tcp", null, c.serve, c.connect, c.reaches)));
            all.add(Arguments.of(new Case(c.name, "udp", "unconnected", c.serve, c.connect, c.reaches)));
            all.add(Arguments.of(new Case(c.name, "udp", "connected", c.serve, c.connect, c.reaches)));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void serverSeesTheClientInItsFamilysForm(Case c) throws Exception {
        List<String> serveArgs = new ArrayList<>(c.serve);
        serveArgs.addAll(List.of("--proto", c.proto, "--count", "1", "--json", "0"));
        try (Served served = Served.start(serveArgs.toArray(String[]::new))) {
            JsonNode listening = Json.parse(served.firstLine);
            assertEquals("listening", listening.get("event").asText());
            int serverFamily = familyOf(listening.get("local"));
            if (c.serve.contains("--v6only")) {
                assertEquals(Boolean.parseBoolean(c.serve.get(c.serve.indexOf("--v6only") + 1)),
                        listening.get("v6only").asBoolean(), "getsockopt reads back what was set");
            }

            List<String> connectArgs = new ArrayList<>(List.of("connect"));
            connectArgs.addAll(c.connect);
            connectArgs.addAll(List.of(Integer.toString(served.port), "--proto", c.proto, "--json", "--timeout", "2000"));
            if (c.udpMode != null) connectArgs.addAll(List.of("--udp-mode", c.udpMode));
            if (!c.reaches && "unconnected".equals(c.udpMode)) connectArgs.set(connectArgs.indexOf("2000"), "200");
            Cli.Result r = Cli.run(connectArgs.toArray(String[]::new));
            JsonNode answer = r.json();
            JsonNode attempt = answer.get("attempts").get(0);

            if (!c.reaches) {
                assertEquals(ExitCodes.FAILURE, r.code(), r::toString);
                String errno = attempt.get("failure").get("errno").asText();
                assertEquals("unconnected".equals(c.udpMode) ? "EAGAIN" : "ECONNREFUSED", errno, r::toString);
                assertTrue(r.err().startsWith("dualsock connect: " + errno + ": "), r::toString);
                assertEquals(List.of(served.firstLine), served.allLines(), "the server saw nothing");
                return;
            }
            assertEquals(0, r.code(), r::toString);
            assertEquals("", r.err());
            assertEquals(1, answer.get("succeeded").asInt());
            assertTrue(attempt.get("ok").asBoolean(), r::toString);
            assertEquals("hello from dualsock\n", attempt.get("reply").get("text").asText());

            SockAddr destination = sockAddr(attempt.get("address"));
            SockAddr clientLocal = sockAddr(attempt.get("local"));
            SockAddr expected = seenByServer(serverFamily, clientLocal, destination);

            JsonNode first = served.nextEvent();
            if (c.proto.equals("tcp")) {
                assertEquals("accept", first.get("event").asText());
                assertEquals(expected, sockAddr(first.get("peer")), first::toString);
                assertEquals(destination.port(), sockAddr(first.get("local")).port());
                JsonNode data = served.nextEvent();
                assertEquals("data", data.get("event").asText());
                assertEquals(attempt.get("sent").asInt(), data.get("echoed").asInt());
                assertEquals("eof", served.nextEvent().get("event").asText());
            } else {
                assertEquals("recvmsg", first.get("event").asText());
                assertEquals(expected, sockAddr(first.get("source")), first::toString);
                // the address the client sent to, as the server socket's family writes it (IPV6_PKTINFO/IP_PKTINFO)
                SockAddr sentTo = destination;
                if (serverFamily == io.dualsock.NativeSocket.AF_INET6 && destination instanceof Inet4SockAddr d4) {
                    sentTo = d4.toMapped();
                } else if (serverFamily == io.dualsock.NativeSocket.AF_INET && destination instanceof Inet6SockAddr d6) {
                    sentTo = d6.v4();
                }
                assertEquals(sentTo.address(), first.get("destination").asText(), first::toString);
                assertTrue(first.get("ifindex").asInt() > 0, first::toString);
                assertEquals(attempt.get("sent").asInt(), first.get("echoed").asInt());
                // The reply went back to the source as reported; the client sees the server as it addressed it.
                assertEquals(destination, sockAddr(attempt.get("reply").get("source")));
            }
            JsonNode stopped = served.nextEvent();
            assertEquals("stopped", stopped.get("event").asText());
            assertEquals("count", stopped.get("reason").asText());
            assertEquals(0, served.exit());
        }
    }

    /**
     * The client's endpoint in the server socket's family. An unconnected UDP client's
     * getsockname is the wildcard; on loopback the kernel picks the destination as source.
     */
    static SockAddr seenByServer(int serverFamily, SockAddr clientLocal, SockAddr destination) {
        SockAddr endpoint = isWildcard(clientLocal) ? destination.withPort(clientLocal.port()) : clientLocal;
        if (serverFamily == io.dualsock.NativeSocket.AF_INET6) {
            return endpoint instanceof Inet4SockAddr a4 ? a4.toMapped() : endpoint;
        }
        return endpoint instanceof Inet6SockAddr a6 && a6.isV4Mapped() ? a6.v4() : endpoint;
    }

    private static boolean isWildcard(SockAddr a) {
        for (byte b : a.addressBytes()) if (b != 0) return false;
        return true;
    }

    static SockAddr sockAddr(JsonNode n) {
        assertFalse(n == null || n.isNull(), "address missing");
        return SockAddr.parse(n.get("address").asText(), n.get("port").asInt());
    }

    private static int familyOf(JsonNode addr) {
        return sockAddr(addr).family();
    }
}
