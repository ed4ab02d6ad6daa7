package io.dualsock.cli;

import io.dualsock.cli.output.Json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.dualsock.Inet4SockAddr;
import io.dualsock.NativeSocket;
import io.dualsock.SocketOptions.IpprotoIpv6;

/** {@code dualsock serve}: the first line, bad input, and kernel errors. */
class ServeCommandTest {

    @Test
    void badInputIsUsage() {
        List<List<String>> bad = List.of(
                List.of("70000", "--family", "inet"),
                List.of("-1", "--family", "inet"),
                List.of("port", "--family", "inet"),
                List.of("0"), // no family, no --bind
                List.of("0", "--family", "inet7"),
                List.of("0", "--family", "unix"),
                List.of("0", "--family", "inet", "--v6only", "true"),
                List.of("0", "--family", "inet6", "--v6only", "maybe"),
                List.of("0", "--family", "inet6", "--proto", "sctp"),
                List.of("0", "--family", "inet6", "--count", "0"),
                List.of("0", "--bind", "localhost"), // numeric only: no lookup
                List.of("0", "--bind", "127.0.0.1", "--family", "inet6"),
                List.of("0", "--bind", "::1", "--family", "inet"));
        for (List<String> args : bad) {
            String[] all = new String[args.size() + 1];
            all[0] = "serve";
            for (int i = 0; i < args.size(); i++) all[i + 1] = args.get(i);
            Cli.Result r = Cli.run(all);
            assertEquals(ExitCodes.USAGE, r.code(), () -> args + "\n" + r);
            assertTrue(r.err().startsWith("dualsock serve: USAGE: "), () -> args + "\n" + r);
            assertEquals("", r.out(), () -> args + ": no socket may be opened for bad input");
        }
        Cli.Result mapped = Cli.run("serve", "0", "--bind", "127.0.0.1", "--family", "inet6");
        assertTrue(mapped.err().startsWith("dualsock serve: USAGE: --bind 127.0.0.1 is not an AF_INET6 address\n"),
                "names the address and the family: " + mapped);
    }

    @Test
    void addressInUseIsExitOneWithErrnoName() throws Exception {
        try (NativeSocket taken = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_STREAM)) {
            taken.bind(Inet4SockAddr.loopback(0));
            taken.listen(1);
            int port = taken.localAddress().port();
            Cli.Result r = Cli.run("serve", "--bind", "127.0.0.1", Integer.toString(port));
            assertEquals(ExitCodes.FAILURE, r.code(), r::toString);
            assertTrue(r.err().startsWith("dualsock serve: EADDRINUSE: bind failed"), r::toString);
        }
    }

    @Test
    void firstLineShowsBoundAddressAndV6onlyAsTheKernelReadsIt() throws Exception {
        boolean systemDefault;
        try (NativeSocket probe = NativeSocket.open(NativeSocket.AF_INET6, NativeSocket.SOCK_DGRAM)) {
            systemDefault = probe.getOption(IpprotoIpv6.IPV6_V6ONLY);
        }
        try (Served s = Served.start("--family", "inet6", "--proto", "udp", "--count", "1", "0")) {
            assertTrue(s.port > 0, s.firstLine);
            assertEquals("listening on [::]:" + s.port + " (AF_INET6, SOCK_DGRAM, IPV6_V6ONLY=" + (systemDefault ? 1 : 0)
                    + ")", s.firstLine);
        }
        try (Served s = Served.start("--family", "inet", "--count", "1", "0")) {
            assertEquals("listening on 0.0.0.0:" + s.port + " (AF_INET, SOCK_STREAM)", s.firstLine);
        }
        try (Served s = Served.start("--bind", "::1", "--v6only", "true", "--count", "1", "--json", "0")) {
            var ev = Json.parse(s.firstLine);
            assertEquals("::1", ev.get("local").get("address").asText());
            assertTrue(ev.get("v6only").asBoolean());
            assertEquals("SOCK_STREAM", ev.get("socktype").asText());
        }
    }

    @Test
    void helpListsSignalsAndCount() {
        Cli.Result r = Cli.run("serve", "--help");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("SIGINT") && r.out().contains("--count"), r::toString);
    }
}
