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
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(options, "options");
        if (port < 1 || port > 0xffff) throw new IllegalArgumentException("port out of range 1..65535: " + port);
        try (PollRace race = new PollRace(host, port, lookup, options.cancel())) {
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
        Hints.Builder h = Hints.builder().family(family).stream();
        if (family != Platform.AF_UNSPEC) h.flags(AiFlag.ADDRCONFIG);
        List<SockAddr> out = new ArrayList<>();
        for (AddrInfo ai : Resolver.getaddrinfo(host, Integer.toString(port), h.build())) out.add(ai.address());
        return out;
    }
}
