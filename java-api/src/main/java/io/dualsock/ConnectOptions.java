package io.dualsock;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How {@link Connector} connects: the algorithm, its RFC 8305 delays, an overall time limit and
 * a cancel handle. Immutable; {@link #happy()} and {@link #sequential()} give the defaults.
 *
 * @param mode {@link Mode#HAPPY} (RFC 8305) or {@link Mode#SEQUENTIAL} (the book's {@code tcp_connect} loop)
 * @param attemptDelay Connection Attempt Delay: 250 ms by default, 10 ms to 2 s (RFC 8305 §5)
 * @param resolutionDelay Resolution Delay: how long an A answer waits for the AAAA one, 50 ms by default
 * @param firstAddressFamilyCount how many IPv6 addresses are tried before the first IPv4 one (RFC 8305 §4), 1 by default
 * @param timeout overall time limit, or null for none (each attempt then ends when the kernel gives
 *     up its SYN retries, {@code net.ipv4.tcp_syn_retries})
 * @param cancel a handle that stops the connect from another thread, or null
 * @param nat64 where HAPPY gets the NAT64 prefix for IPv4 addresses on an IPv6-only host
 *     (RFC 8305 §7): {@link #DISCOVER_NAT64} by default, a given prefix ({@link #withNat64}), or
 *     null for none. Used only when the host has no routable IPv4 address and the A query gave
 *     nothing; see docs/nat64.md
 */
public record ConnectOptions(Mode mode, Duration attemptDelay, Duration resolutionDelay, int firstAddressFamilyCount,
        Duration timeout, Connector.Cancel cancel, Nat64Source nat64) {

    /**
     * Where the NAT64 prefixes come from: called on a resolver thread, only on an IPv6-only host
     * that has an IPv4 address to reach.
     */
    @FunctionalInterface
    public interface Nat64Source {
        /**
         * The prefixes to synthesize with, best first; empty when there are none.
         *
         * @return the prefixes
         * @throws ResolverException when discovery failed ({@code EAI_AGAIN}, …)
         */
        List<Nat64> prefixes() throws ResolverException;
    }

    /** A prefix the caller gave: the trace says "given", not "discovered". */
    record GivenPrefix(Nat64 prefix) implements Nat64Source {
        @Override
        public List<Nat64> prefixes() {
            return List.of(prefix);
        }
    }

    /** RFC 7050 discovery, {@link Nat64#discover()}: the default. */
    public static final Nat64Source DISCOVER_NAT64 = Nat64::discover;

    /** The connect algorithm. */
    public enum Mode {
        /** RFC 8305: AAAA and A asked apart, families interleaved, attempts raced. */
        HAPPY,
        /**
         * UNP's {@code tcp_connect}: one {@code getaddrinfo(AF_UNSPEC, SOCK_STREAM)}, then each
         * address in libc's order, the next only after the previous one failed.
         */
        SEQUENTIAL
    }

    /** RFC 8305's recommended Connection Attempt Delay. */
    public static final Duration DEFAULT_ATTEMPT_DELAY = Duration.ofMillis(250);
    /** RFC 8305's recommended Resolution Delay. */
    public static final Duration DEFAULT_RESOLUTION_DELAY = Duration.ofMillis(50);
    /** RFC 8305 §5: never below 10 ms. */
    public static final Duration MIN_ATTEMPT_DELAY = Duration.ofMillis(10);
    /** RFC 8305 §5: at most 2 s. */
    public static final Duration MAX_ATTEMPT_DELAY = Duration.ofSeconds(2);

    /**
     * @throws IllegalArgumentException for an attempt delay outside 10 ms..2 s, a negative
     *     resolution delay or time limit, or a family count below 1
     */
    public ConnectOptions {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(attemptDelay, "attemptDelay");
        Objects.requireNonNull(resolutionDelay, "resolutionDelay");
        if (attemptDelay.compareTo(MIN_ATTEMPT_DELAY) < 0 || attemptDelay.compareTo(MAX_ATTEMPT_DELAY) > 0) {
            throw new IllegalArgumentException("attempt delay must be between 10 ms and 2 s (RFC 8305 §5), got "
                    + attemptDelay.toMillis() + " ms");
        }
        if (resolutionDelay.isNegative() || resolutionDelay.compareTo(MAX_ATTEMPT_DELAY) > 0) {
            throw new IllegalArgumentException("resolution delay must be between 0 and 2 s, got "
                    + resolutionDelay.toMillis() + " ms");
        }
        if (firstAddressFamilyCount < 1) {
            throw new IllegalArgumentException("first address family count must be at least 1, got "
                    + firstAddressFamilyCount);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive (or null for none), got " + timeout);
        }
    }

    /**
     * Options with the default NAT64 source, {@link #DISCOVER_NAT64}.
     *
     * @throws IllegalArgumentException as the canonical constructor
     */
    public ConnectOptions(Mode mode, Duration attemptDelay, Duration resolutionDelay, int firstAddressFamilyCount,
            Duration timeout, Connector.Cancel cancel) {
        this(mode, attemptDelay, resolutionDelay, firstAddressFamilyCount, timeout, cancel, DISCOVER_NAT64);
    }

    /** RFC 8305 with its recommended values, no time limit, no cancel handle. */
    public static ConnectOptions happy() {
        return new ConnectOptions(Mode.HAPPY, DEFAULT_ATTEMPT_DELAY, DEFAULT_RESOLUTION_DELAY, 1, null, null, DISCOVER_NAT64);
    }

    /** The book's loop, no time limit. */
    public static ConnectOptions sequential() {
        return new ConnectOptions(Mode.SEQUENTIAL, DEFAULT_ATTEMPT_DELAY, DEFAULT_RESOLUTION_DELAY, 1, null, null, DISCOVER_NAT64);
    }

    /**
     * These options with another mode.
     *
     * @param m sequential (the book's loop) or Happy Eyeballs
     * @return a copy with {@code mode} replaced
     */
    public ConnectOptions withMode(Mode m) {
        return new ConnectOptions(m, attemptDelay, resolutionDelay, firstAddressFamilyCount, timeout, cancel, nat64);
    }

    /**
     * These options with another Connection Attempt Delay (RFC 8305 §5).
     *
     * @param d the delay between starting two attempts
     * @return a copy with {@code attemptDelay} replaced
     */
    public ConnectOptions withAttemptDelay(Duration d) {
        return new ConnectOptions(mode, d, resolutionDelay, firstAddressFamilyCount, timeout, cancel, nat64);
    }

    /**
     * These options with another Resolution Delay (RFC 8305 §3).
     *
     * @param d how long to wait for the AAAA answer after the A answer
     * @return a copy with {@code resolutionDelay} replaced
     */
    public ConnectOptions withResolutionDelay(Duration d) {
        return new ConnectOptions(mode, attemptDelay, d, firstAddressFamilyCount, timeout, cancel, nat64);
    }

    /**
     * These options with another First Address Family Count (RFC 8305 §4).
     *
     * @param n how many addresses of the first family to try before the other family
     * @return a copy with {@code firstAddressFamilyCount} replaced
     */
    public ConnectOptions withFirstAddressFamilyCount(int n) {
        return new ConnectOptions(mode, attemptDelay, resolutionDelay, n, timeout, cancel, nat64);
    }

    /**
     * These options with another overall time limit.
     *
     * @param t the limit for the whole connect, or null for none
     * @return a copy with {@code timeout} replaced
     */
    public ConnectOptions withTimeout(Duration t) {
        return new ConnectOptions(mode, attemptDelay, resolutionDelay, firstAddressFamilyCount, t, cancel, nat64);
    }

    /**
     * These options with another cancellation handle.
     *
     * @param c a handle that ends the connect from another thread, or null
     * @return a copy with {@code cancel} replaced
     */
    public ConnectOptions withCancel(Connector.Cancel c) {
        return new ConnectOptions(mode, attemptDelay, resolutionDelay, firstAddressFamilyCount, timeout, c, nat64);
    }

    /**
     * These options with a NAT64 prefix to synthesize with instead of discovering one (RFC 8305
     * §7.1). Still used only on an IPv6-only host whose A query gave nothing.
     *
     * @param prefix the prefix, e.g. {@code Nat64.parse("64:ff9b::/96")}
     * @return a copy with {@code nat64} replaced
     */
    public ConnectOptions withNat64(Nat64 prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return withNat64Discovery(new GivenPrefix(prefix));
    }

    /**
     * These options with another source of NAT64 prefixes.
     *
     * @param source e.g. {@link #DISCOVER_NAT64}, or null: never synthesize (RFC 8305 §7 off)
     * @return a copy with {@code nat64} replaced
     */
    public ConnectOptions withNat64Discovery(Nat64Source source) {
        return new ConnectOptions(mode, attemptDelay, resolutionDelay, firstAddressFamilyCount, timeout, cancel, source);
    }
}
