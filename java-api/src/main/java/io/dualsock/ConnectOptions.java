package io.dualsock;

import java.time.Duration;
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
 */
public record ConnectOptions(Mode mode, Duration attemptDelay, Duration resolutionDelay, int firstAddressFamilyCount,
        Duration timeout, Connector.Cancel cancel) {

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

    /** RFC 8305 with its recommended values, no time limit, no cancel handle. */
    public static ConnectOptions happy() {
        return new ConnectOptions(Mode.HAPPY, DEFAULT_ATTEMPT_DELAY, DEFAULT_RESOLUTION_DELAY, 1, null, null);
    }

    /** The book's loop, no time limit. */
    public static ConnectOptions sequential() {
        return new ConnectOptions(Mode.SEQUENTIAL, DEFAULT_ATTEMPT_DELAY, DEFAULT_RESOLUTION_DELAY, 1, null, null);
    }

    /**
     * These options with another mode.
     *
     * @param m sequential (the book's loop) or Happy Eyeballs
     * @return a copy with {@code mode} replaced
     */
    public ConnectOptions withMode(Mode m) {
        return new ConnectOptions(m, attemptDelay, resolutionDelay, firstAddressFamilyCount, timeout, cancel);
    }

    /**
     * These options with another Connection Attempt Delay (RFC 8305 §5).
     *
     * @param d the delay between starting two attempts
     * @return a copy with {@code attemptDelay} replaced
     */
    public ConnectOptions withAttemptDelay(Duration d) {
        return new ConnectOptions(mode, d, resolutionDelay, firstAddressFamilyCount, timeout, cancel);
    }

    /**
     * These options with another Resolution Delay (RFC 8305 §3).
     *
     * @param d how long to wait for the AAAA answer after the A answer
     * @return a copy with {@code resolutionDelay} replaced
     */
    public ConnectOptions withResolutionDelay(Duration d) {
        return new ConnectOptions(mode, attemptDelay, d, firstAddressFamilyCount, timeout, cancel);
    }

    /**
     * These options with another First Address Family Count (RFC 8305 §4).
     *
     * @param n how many addresses of the first family to try before the other family
     * @return a copy with {@code firstAddressFamilyCount} replaced
     */
    public ConnectOptions withFirstAddressFamilyCount(int n) {
        return new ConnectOptions(mode, attemptDelay, resolutionDelay, n, timeout, cancel);
    }

    /**
     * These options with another overall time limit.
     *
     * @param t the limit for the whole connect, or null for none
     * @return a copy with {@code timeout} replaced
     */
    public ConnectOptions withTimeout(Duration t) {
        return new ConnectOptions(mode, attemptDelay, resolutionDelay, firstAddressFamilyCount, t, cancel);
    }

    /**
     * These options with another cancellation handle.
     *
     * @param c a handle that ends the connect from another thread, or null
     * @return a copy with {@code cancel} replaced
     */
    public ConnectOptions withCancel(Connector.Cancel c) {
        return new ConnectOptions(mode, attemptDelay, resolutionDelay, firstAddressFamilyCount, timeout, c);
    }
}
