package io.dualsock;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import io.dualsock.bindings.Platform;

/**
 * Connects a TCP socket to a name: RFC 8305 Happy Eyeballs v2 ({@link ConnectOptions#happy()})
 * or the book's {@code tcp_connect} loop ({@link ConnectOptions#sequential()}), with a
 * {@link ConnectTrace} of everything tried.
 *
 * <p>HAPPY asks {@code getaddrinfo(AF_INET6, SOCK_STREAM, AI_ADDRCONFIG)} and the same for
 * {@code AF_INET} at once, on helper threads; every connection attempt is a non-blocking
 * {@code connect(2)}, and all of them are raced with one {@code poll(2)} on the calling thread
 * (no thread per attempt). The winner is returned in blocking mode; every other socket is closed
 * before this method returns, whether it connects, fails, times out, is cancelled through
 * {@link Cancel} or its thread is interrupted (seen within 50 ms;
 * the interrupt status stays set). Details: docs/happy-eyeballs.md.
 *
 * <p>On an IPv6-only host (no routable IPv4 address), HAPPY reaches an IPv4 literal, or a name
 * with only A records, through NAT64 as RFC 8305 §7 says: it synthesizes IPv6 addresses with the
 * prefix of {@link ConnectOptions#nat64()} (RFC 7050 discovery by default) and tries them as
 * IPv6 addresses; the trace names each one's IPv4 address. Details: docs/nat64.md.
 */
public final class Connector {
    private Connector() {}

    /** A connected socket and how it was reached. Closing it closes the socket. */
    public record Connection(NativeSocket socket, ConnectTrace trace) implements AutoCloseable {
        @Override
        public void close() {
            socket.close();
        }
    }

    /** Cancels a connect from another thread ({@link ConnectOptions#withCancel}); one connect at a time. */
    public static final class Cancel {
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private volatile Runnable waker;

        /** Stops the connect using this handle (now, or as soon as it starts); idempotent. */
        public void cancel() {
            cancelled.set(true);
            Runnable w = waker;
            if (w != null) w.run();
        }

        /** True once {@link #cancel()} was called. */
        public boolean isCancelled() {
            return cancelled.get();
        }

        void attach(Runnable w) {
            waker = w;
            if (cancelled.get()) w.run();
        }

        void detach() {
            waker = null;
        }
    }

    /** Where addresses come from; the default is {@link #getaddrinfo}. */
    @FunctionalInterface
    interface Lookup {
        List<SockAddr> lookup(String host, int port, int family) throws ResolverException;

        /** The same query without {@code AI_ADDRCONFIG}: RFC 8305 §7's A query on an IPv6-only host. */
        default List<SockAddr> lookupWithoutAddrconfig(String host, int port, int family) throws ResolverException {
            return Connector.getaddrinfo(host, port, family, false);
        }
    }

    /**
     * Connects to host (a name or a numeric address) and port.
     *
     * @throws ConnectFailedException when no connection was made; its trace says why
     * @throws NativeSocketException when the race itself failed ({@code eventfd}, {@code poll})
     * @throws IllegalArgumentException for a port outside 1..65535
     */
    public static Connection connect(String host, int port, ConnectOptions options) throws NativeSocketException,
            ConnectFailedException {
        return connect(host, port, options, Connector::getaddrinfo);
    }

    static Connection connect(String host, int port, ConnectOptions options, Lookup lookup)
            throws NativeSocketException, ConnectFailedException {
        return connect(host, port, options, lookup, Nat64Synthesis.RTNETLINK);
    }

    static Connection connect(String host, int port, ConnectOptions options, Lookup lookup, Nat64Synthesis.HostCheck check)
            throws NativeSocketException, ConnectFailedException {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(options, "options");
        if (port < 1 || port > 0xffff) throw new IllegalArgumentException("port out of range 1..65535: " + port);
        try (PollRace race = new PollRace(host, port, lookup, options.cancel(), check)) {
            HappyEyeballs.Outcome out = new HappyEyeballs(race, host, port, options).run();
            if (out.winner() < 0) throw new ConnectFailedException(out.trace());
            return new Connection(race.take(out.winner()), out.trace());
        }
    }

    /**
     * The queries: {@code AF_INET6}/{@code AF_INET} with {@code SOCK_STREAM} and
     * {@code AI_ADDRCONFIG} (RFC 8305 §3); {@code AF_UNSPEC} with only {@code SOCK_STREAM}, as
     * the book's {@code tcp_connect} asks.
     */
    static List<SockAddr> getaddrinfo(String host, int port, int family) throws ResolverException {
        return getaddrinfo(host, port, family, true);
    }

    static List<SockAddr> getaddrinfo(String host, int port, int family, boolean addrconfig) throws ResolverException {
        Hints.Builder h = Hints.builder().family(family).stream();
        if (family != Platform.AF_UNSPEC && addrconfig) h.flags(AiFlag.ADDRCONFIG);
        List<SockAddr> out = new ArrayList<>();
        for (AddrInfo ai : Resolver.getaddrinfo(host, Integer.toString(port), h.build())) out.add(ai.address());
        return out;
    }
}
