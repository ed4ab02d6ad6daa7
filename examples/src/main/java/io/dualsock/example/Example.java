package io.dualsock.example;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.dualsock.AddrInfo;
import io.dualsock.AiFlag;
import io.dualsock.Dualsock;
import io.dualsock.Hints;
import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.NativeSocket;
import io.dualsock.Resolver;
import io.dualsock.SocketOptions;

/**
 * What a user's program does with dualsock: resolve a numeric IPv4 address as a mapped IPv6
 * one, and let a dual-stack server accept an IPv4 client on loopback, which it sees as
 * {@code ::ffff:127.0.0.1}. Prints one line per fact; exits non-zero when one is not as expected.
 */
public final class Example {
    private Example() {}

    public static void main(String[] args) throws Exception {
        Dualsock.Diagnostics d = Dualsock.diagnostics();
        if (!d.loaded()) throw new IllegalStateException(d.error());
        System.out.println("module " + Example.class.getModule().getName() + ", platform " + d.platform()
                + ", jar carries " + d.bundledPlatforms());

        List<AddrInfo> res = Resolver.getaddrinfo("198.51.100.7", "80",
                Hints.builder().inet6().stream().flags(AiFlag.V4MAPPED, AiFlag.NUMERICHOST).build());
        Inet6SockAddr mapped = (Inet6SockAddr) res.get(0).address();
        System.out.println("getaddrinfo 198.51.100.7 AF_INET6 AI_V4MAPPED: " + mapped);
        check(mapped.isV4Mapped(), "a mapped address");

        try (NativeSocket server = NativeSocket.open(NativeSocket.AF_INET6, NativeSocket.SOCK_STREAM)) {
            server.setOption(SocketOptions.IpprotoIpv6.IPV6_V6ONLY, false);
            server.bind(Inet6SockAddr.any(0));
            server.listen(1);
            int port = server.localAddress().port();
            try (NativeSocket client = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_STREAM)) {
                client.connect(Inet4SockAddr.loopback(port));
                client.send("hello".getBytes(StandardCharsets.US_ASCII));
                NativeSocket.Accepted acc = server.accept();
                try (NativeSocket conn = acc.socket()) {
                    byte[] b = new byte[16];
                    int n = conn.recv(b);
                    System.out.println("accepted " + acc.peer() + ": " + new String(b, 0, n, StandardCharsets.US_ASCII));
                    check(acc.peer() instanceof Inet6SockAddr p && p.isV4Mapped(), "the IPv4 client seen as mapped");
                }
            }
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError("expected " + what);
    }
}
