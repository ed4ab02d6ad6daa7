package io.dualsock.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.dualsock.Inet6SockAddr;
import io.dualsock.NativeSocket;
import io.dualsock.SocketOptions;

/**
 * {@code dualsock connect --nat64-prefix} on loopback: addresses inside the prefix are labelled
 * in every mode ({@code ::/96} holds {@code ::1} as the NAT64 address of {@code 0.0.0.1}), a host
 * with IPv4 never synthesizes, and a prefix RFC 6052 refuses is a usage error. The synthesis
 * itself needs an IPv6-only host: Nat64LiteralLabTest in the lab.
 */
class ConnectNat64Test {
    private static NativeSocket listener() throws Exception {
        NativeSocket l = NativeSocket.open(NativeSocket.AF_INET6, NativeSocket.SOCK_STREAM);
        l.setOption(SocketOptions.IpprotoIpv6.IPV6_V6ONLY, true);
        l.bind(Inet6SockAddr.loopback(0));
        l.listen(4);
        return l;
    }

    @Test
    void happyLabelsThePeerInsideThePrefixAndSynthesizesNothingOnAHostWithIpv4() throws Exception {
        try (NativeSocket l = listener()) {
            String port = Integer.toString(l.localAddress().port());
            Cli.Result r = Cli.run("connect", "::1", port, "--happy", "--nat64-prefix", "::/96");
            assertEquals(ExitCodes.OK, r.code(), r::toString);
            assertTrue(r.out().contains(", peer [::1]:" + port + " [NAT64 of 0.0.0.1]\n"), r::toString);
            assertFalse(r.out().contains("  NAT64 "), "an address was found: no synthesis step " + r);
            Cli.Result plain = Cli.run("connect", "::1", port, "--happy");
            assertTrue(plain.out().contains(", peer [::1]:" + port + "\n"), plain::toString);
            assertFalse(plain.out().contains("NAT64"), plain::toString);
        }
    }

    @Test
    void theBooksLoopLabelsResultsAndPeerToo() throws Exception {
        try (NativeSocket l = listener()) {
            String port = Integer.toString(l.localAddress().port());
            Thread echo = new Thread(() -> {
                try (NativeSocket c = l.accept().socket()) {
                    byte[] b = new byte[64];
                    int n = c.recv(b);
                    if (n > 0) c.send(java.util.Arrays.copyOf(b, n));
                } catch (Exception e) {
                    // the test's assertions say what went wrong
                }
            });
            echo.start();
            Cli.Result r = Cli.run("connect", "::1", port, "--nat64-prefix", "::/96", "--timeout", "2000");
            echo.join(5000);
            assertEquals(ExitCodes.OK, r.code(), r::toString);
            assertTrue(r.out().lines().anyMatch(x -> x.startsWith("1  AF_INET6") && x.endsWith("[NAT64 of 0.0.0.1]")), r::toString);
            assertTrue(r.out().contains(", peer [::1]:" + port + " [NAT64 of 0.0.0.1]"), r::toString);
        }
    }

    @Test
    void aPrefixRfc6052RefusesIsAUsageError() {
        Cli.Result r = Cli.run("connect", "127.0.0.1", "9", "--happy", "--nat64-prefix", "64:ff9b::/95");
        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("--nat64-prefix: NAT64 prefix length must be one of"), r::toString);
    }
}
