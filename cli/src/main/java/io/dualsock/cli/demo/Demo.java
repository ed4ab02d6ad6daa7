package io.dualsock.cli.demo;

import static io.dualsock.NativeSocket.AF_INET;
import static io.dualsock.NativeSocket.AF_INET6;
import static io.dualsock.NativeSocket.POLLIN;
import static io.dualsock.NativeSocket.SOCK_DGRAM;
import static io.dualsock.NativeSocket.SOCK_STREAM;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.dualsock.AddrInfo;
import io.dualsock.AiFlag;
import io.dualsock.Hints;
import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.NativeSocket;
import io.dualsock.NativeSocketException;
import io.dualsock.Resolver;
import io.dualsock.ResolverException;
import io.dualsock.SockAddr;
import io.dualsock.SockAddrHolder;
import io.dualsock.SocketOptions.IpprotoIpv6;
import io.dualsock.SocketOptions.SolSocket;
import io.dualsock.cli.demo.DemoReport.Attempt;
import io.dualsock.cli.demo.DemoReport.ClientSide;
import io.dualsock.cli.demo.DemoReport.Failure;
import io.dualsock.cli.demo.DemoReport.Proto;
import io.dualsock.cli.demo.DemoReport.Reply;
import io.dualsock.cli.demo.DemoReport.Scenario;
import io.dualsock.cli.demo.DemoReport.ServerSide;
import io.dualsock.cli.demo.DemoReport.ServerView;

/**
 * UNP §12.2 and §12.3 on loopback, in one process and one thread, with no privileges: the four
 * scenarios of docs/sockets.md over TCP and UDP, each step as the kernel reported it to each side,
 * into a {@link DemoReport}; nothing is asserted, and every socket is closed before {@link #run} returns.
 */
public final class Demo {
    private Demo() {}

    private static final String HOST = "127.0.0.1";
    private static final int BUFFER = 65536;

    /**
     * How long to wait and what to send.
     *
     * @param replyTimeout how long a side waits for something that may never come (a refused
     *     datagram): the server's poll, and the client's SO_RCVTIMEO; at least 1 ms
     * @param connectTimeout the client's connect limit and the server's wait for a connection
     *     the client has already made
     * @param message the bytes the client sends (UTF-8)
     */
    public record Options(Duration replyTimeout, Duration connectTimeout, String message) {
        public Options {
            Objects.requireNonNull(replyTimeout, "replyTimeout");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(message, "message");
            if (replyTimeout.toMillis() < 1 || replyTimeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("replyTimeout must be 1 ms .. 2^31-1 ms: " + replyTimeout);
            }
            if (connectTimeout.toMillis() < 1 || connectTimeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("connectTimeout must be 1 ms .. 2^31-1 ms: " + connectTimeout);
            }
        }

        /** 300 ms for a reply that may not come, 2 s to connect, "hello from dualsock\n". */
        public static Options defaults() {
            return new Options(Duration.ofMillis(300), Duration.ofSeconds(2), "hello from dualsock\n");
        }
    }

    /** The four scenarios as the book states them; what happens is measured, not taken from here. */
    private record Def(int number, String title, String reference, String book, int serverFamily, Boolean v6only,
            int hintFamily, AiFlag[] hintFlags, boolean inetSocketForAnyResult, boolean checkIpv4PortFree) {}

    private static final List<Def> DEFS = List.of(
            new Def(1, "IPv4 client -> IPv6 server on [::] with IPV6_V6ONLY=0", "UNP §12.2",
                    "An IPv4 SYN or datagram for an AF_INET6 socket bound to :: with IPV6_V6ONLY off is accepted, and "
                            + "accept/recvfrom report the client as the IPv4-mapped address ::ffff:a.b.c.d.",
                    AF_INET6, false, AF_INET, new AiFlag[0], false, false),
            new Def(2, "IPv6 client (AF_INET6, AI_V4MAPPED) -> IPv4 server on 0.0.0.0", "UNP §12.3",
                    "getaddrinfo with AF_INET6 and AI_V4MAPPED returns an IPv4 address as ::ffff:a.b.c.d; connect/sendto "
                            + "with it on an AF_INET6 socket makes the kernel send IPv4, and the IPv4 server sees an "
                            + "ordinary IPv4 client.",
                    AF_INET, null, AF_INET6, new AiFlag[] {AiFlag.V4MAPPED}, false, false),
            new Def(3, "IPv4 client -> IPv6 server on [::] with IPV6_V6ONLY=1", "UNP §12.2, IPV6_V6ONLY",
                    "With IPV6_V6ONLY on, an AF_INET6 socket takes IPv6 only, so an IPv4 client cannot reach it: "
                            + "a TCP connection is refused, a UDP datagram is not delivered.",
                    AF_INET6, true, AF_INET, new AiFlag[0], false, true),
            new Def(4, "AF_INET socket given the mapped address ::ffff:127.0.0.1 -> IPv4 server on 0.0.0.0",
                    "UNP §12.3",
                    "Mapped addresses are for AF_INET6 sockets: an AF_INET socket takes a struct sockaddr_in, which has "
                            + "room for 4 address bytes, not the 16 of ::ffff:a.b.c.d.",
                    AF_INET, null, AF_INET6, new AiFlag[] {AiFlag.V4MAPPED}, true, false));

    /** Runs every scenario with {@link Options#defaults()}. */
    public static DemoReport run() {
        return run(Options.defaults());
    }

    /** Runs every scenario, TCP then UDP for each, and reports what happened. */
    public static DemoReport run(Options options) {
        Objects.requireNonNull(options, "options");
        List<Scenario> scenarios = new ArrayList<>();
        for (Def d : DEFS) {
            for (Proto p : Proto.values()) scenarios.add(new Run(d, p, options).scenario());
        }
        return new DemoReport(bindv6only(), options, scenarios);
    }

    private static String bindv6only() {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv6/bindv6only")).trim();
        } catch (IOException | RuntimeException e) {
            return "unreadable (" + e + ")";
        }
    }

    /** One scenario for one protocol. */
    private static final class Run {
        private final Def d;
        private final Proto proto;
        private final Options o;
        private final int type;
        private final byte[] message;
        private final List<String> notes = new ArrayList<>();
        private NativeSocket server;

        Run(Def d, Proto proto, Options o) {
            this.d = d;
            this.proto = proto;
            this.o = o;
            this.type = proto == Proto.TCP ? SOCK_STREAM : SOCK_DGRAM;
            this.message = o.message().getBytes(StandardCharsets.UTF_8);
        }

        Scenario scenario() {
            try {
                ServerSide ss = openServer();
                if (d.checkIpv4PortFree()) {
                    // A V6ONLY socket on [::]:P does not stop an unrelated IPv4 socket from holding
                    // P; if one did, it, not the kernel's V6ONLY rule, would answer the client.
                    for (int tries = 0; server != null && !ipv4PortFree(ss.bound().port()) && tries < 5; tries++) {
                        server.close();
                        ss = openServer();
                    }
                }
                List<Attempt> attempts = new ArrayList<>();
                ClientSide client = null;
                if (server != null) {
                    client = resolve(ss.bound().port());
                    for (AddrInfo ai : client.results()) {
                        int family = d.inetSocketForAnyResult() ? AF_INET : ai.family();
                        boolean ok = false;
                        for (String mode : proto == Proto.TCP ? List.of("connect") : List.of("sendto", "connect+send")) {
                            Attempt a = attempt(mode, family, ai.address());
                            attempts.add(a);
                            ok |= a.ok();
                            if (!a.ok() && a.failure().beforeKernel()) attempts.add(rawAttempt(mode, family, ai.address()));
                        }
                        if (ok) break; // like UNP's tcp_connect: the first address that works ends the loop
                    }
                }
                return new Scenario(d.number(), proto, d.title(), d.reference(), d.book(), ss, client, attempts, notes);
            } finally {
                if (server != null) server.close();
            }
        }

        private ServerSide openServer() {
            SockAddr bindAddress = d.serverFamily() == AF_INET6 ? Inet6SockAddr.any(0) : Inet4SockAddr.any(0);
            NativeSocket s = null;
            try {
                s = NativeSocket.open(d.serverFamily(), type);
                if (d.v6only() != null) s.setOption(IpprotoIpv6.IPV6_V6ONLY, d.v6only());
                s.bind(bindAddress);
                Boolean v6only = d.serverFamily() == AF_INET6 ? s.getOption(IpprotoIpv6.IPV6_V6ONLY) : null;
                SockAddr bound = s.localAddress();
                if (type == SOCK_STREAM) s.listen(8);
                server = s;
                return new ServerSide(d.serverFamily(), type, d.v6only(), v6only, bindAddress, bound, null);
            } catch (NativeSocketException e) {
                if (s != null) s.close();
                server = null;
                return new ServerSide(d.serverFamily(), type, d.v6only(), null, bindAddress, null, failure(e));
            }
        }

        private boolean ipv4PortFree(int port) {
            try (NativeSocket probe = NativeSocket.open(AF_INET, type)) {
                probe.bind(Inet4SockAddr.any(port));
                notes.add("bind(AF_INET, 0.0.0.0:" + port + ") succeeded (probe, closed at once): no IPv4 "
                        + proto + " socket holds port " + port + ", so only the AF_INET6 server could have answered");
                return true;
            } catch (NativeSocketException e) {
                notes.add("port " + port + " is held by an IPv4 " + proto + " socket (probe bind: " + e.errnoName()
                        + "); the server was reopened on another port");
                return false;
            }
        }

        private ClientSide resolve(int port) {
            Hints hints = Hints.builder().family(d.hintFamily()).socktype(type).flags(d.hintFlags()).build();
            String service = Integer.toString(port);
            int socketFamily = d.inetSocketForAnyResult() ? AF_INET : -1;
            try {
                return new ClientSide(HOST, service, hints, socketFamily, Resolver.getaddrinfo(HOST, service, hints), null);
            } catch (ResolverException e) {
                return new ClientSide(HOST, service, hints, socketFamily, List.of(), e.codeName());
            }
        }

        // ---- the client ----

        private Attempt attempt(String mode, int family, SockAddr dst) {
            NativeSocket c = null;
            String step = "socket";
            SockAddr local = null;
            SockAddr peer = null;
            int sent = -1;
            Reply reply = null;
            ServerView seen = null;
            Failure failure = null;
            try {
                c = NativeSocket.open(family, type);
                switch (mode) {
                    case "connect" -> {
                        step = "connect";
                        c.connect(dst, o.connectTimeout());
                        local = c.localAddress();
                        peer = c.peerAddress();
                        sent = sendAll(c, message, message.length);
                        seen = serveTcp(o.connectTimeout().toMillis());
                        reply = readTcpReply(c, sent, peer);
                    }
                    case "sendto" -> {
                        step = "sendto";
                        sent = c.sendTo(message, dst);
                        local = c.localAddress();
                        seen = serveUdp(o.replyTimeout().toMillis());
                        c.setOption(SolSocket.SO_RCVTIMEO, o.replyTimeout());
                        byte[] b = new byte[BUFFER];
                        NativeSocket.ReceivedFrom r = c.recvFrom(b);
                        reply = new Reply(r.length(), SockAddrView.payload(b, Math.min(r.length(), b.length)), r.source());
                    }
                    case "connect+send" -> {
                        step = "connect";
                        c.connect(dst);
                        local = c.localAddress();
                        peer = c.peerAddress();
                        sent = c.send(message);
                        seen = serveUdp(o.replyTimeout().toMillis());
                        c.setOption(SolSocket.SO_RCVTIMEO, o.replyTimeout());
                        byte[] b = new byte[BUFFER];
                        int n = c.recv(b);
                        reply = new Reply(n, SockAddrView.payload(b, Math.min(n, b.length)), peer);
                    }
                    default -> throw new IllegalStateException(mode);
                }
            } catch (IllegalArgumentException e) {
                // NativeSocket refused the address before any system call (scenario 4).
                failure = new Failure(step, null, e.getMessage(), true);
            } catch (NativeSocketException e) {
                failure = failure(e);
            } catch (EndOfStream e) {
                failure = new Failure("recv", null, e.getMessage(), false);
            } finally {
                if (c != null) c.close();
            }
            if (seen == null) seen = serverLook(sent >= 0 ? o.replyTimeout().toMillis() : 0);
            return new Attempt(mode, Attempt.VIA_NATIVE_SOCKET, family, type, dst, failure, local, peer, sent, reply, seen);
        }

        /** The call dualsock refused, made through the shim so that the kernel answers it. */
        private Attempt rawAttempt(String mode, int family, SockAddr dst) {
            String call = mode.equals("sendto") ? "sendto" : "connect";
            Failure f = RawKernel.call(call, family, type, dst, message);
            int sent = f == null && call.equals("sendto") ? message.length : -1;
            ServerView seen = serverLook(f == null ? o.replyTimeout().toMillis() : 0);
            return new Attempt(mode, Attempt.VIA_RAW_SHIM, family, type, dst, f, null, null, sent, null, seen);
        }

        private Reply readTcpReply(NativeSocket c, int expected, SockAddr peer) throws NativeSocketException, EndOfStream {
            c.setOption(SolSocket.SO_RCVTIMEO, o.replyTimeout());
            byte[] b = new byte[Math.max(expected, 1)];
            int got = 0;
            while (got < expected) {
                int n = c.recv(b, got, b.length - got);
                if (n == 0) break;
                got += n;
            }
            if (got == 0 && expected > 0) throw new EndOfStream("recv returned 0 (end of stream) before any reply");
            return new Reply(got, SockAddrView.payload(b, got), peer);
        }

        // ---- the server ----

        /** What the server finds now or within waitMs: accept/recvfrom and echo, or nothing. */
        private ServerView serverLook(long waitMs) {
            return proto == Proto.TCP ? serveTcp(waitMs) : serveUdp(waitMs);
        }

        private ServerView serveTcp(long waitMs) {
            try {
                if (server.poll(POLLIN, (int) waitMs) == 0) return ServerView.nothing("accept", waitMs);
                NativeSocket.Accepted acc = server.accept();
                try (NativeSocket s = acc.socket()) {
                    SockAddr local = s.localAddress();
                    int received = -1;
                    int echoed = -1;
                    try {
                        s.setOption(SolSocket.SO_RCVTIMEO, o.replyTimeout());
                        byte[] b = new byte[BUFFER];
                        received = s.recv(b);
                        echoed = sendAll(s, b, received);
                    } catch (NativeSocketException e) {
                        return new ServerView("accept", true, waitMs, acc.peer(), local, received, echoed, failure(e));
                    }
                    return new ServerView("accept", true, waitMs, acc.peer(), local, received, echoed, null);
                }
            } catch (NativeSocketException e) {
                return new ServerView("accept", false, waitMs, null, null, -1, -1, failure(e));
            }
        }

        private ServerView serveUdp(long waitMs) {
            try {
                if (server.poll(POLLIN, (int) waitMs) == 0) return ServerView.nothing("recvfrom", waitMs);
                SockAddrHolder source = new SockAddrHolder();
                ByteBuffer b = ByteBuffer.allocateDirect(BUFFER);
                int n = server.recvFrom(b, source);
                SockAddr peer = source.sockAddr();
                b.flip();
                try {
                    // The reply goes to the source exactly as reported: a mapped source stays mapped.
                    int echoed = server.sendTo(b, source);
                    return new ServerView("recvfrom", true, waitMs, peer, server.localAddress(), n, echoed, null);
                } catch (NativeSocketException e) {
                    return new ServerView("recvfrom", true, waitMs, peer, null, n, -1, failure(e));
                }
            } catch (NativeSocketException e) {
                return new ServerView("recvfrom", false, waitMs, null, null, -1, -1, failure(e));
            }
        }
    }

    private static int sendAll(NativeSocket s, byte[] b, int len) throws NativeSocketException {
        int off = 0;
        while (off < len) off += s.send(b, off, len - off);
        return off;
    }

    private static Failure failure(NativeSocketException e) {
        return new Failure(e.call(), e.errnoName(), e.getMessage(), false);
    }

    /** A stream ended before the reply: no errno, so not a NativeSocketException. */
    private static final class EndOfStream extends Exception {
        private static final long serialVersionUID = 1L;

        EndOfStream(String message) {
            super(message, null, false, false);
        }
    }
}
