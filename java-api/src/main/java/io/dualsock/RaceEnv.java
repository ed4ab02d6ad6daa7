package io.dualsock;

import java.util.List;

/**
 * What {@link HappyEyeballs} needs from the world: a clock, resolver queries and connection
 * attempts whose results arrive as {@link Event}s. {@link PollRace} is the real one (getaddrinfo
 * on helper threads, non-blocking sockets and one {@code poll(2)}); the tests script one with a
 * virtual clock.
 */
interface RaceEnv {
    /** Monotonic time in nanoseconds. */
    long nanoTime();

    /** Starts a query for family ({@code AF_INET6}, {@code AF_INET} or {@code AF_UNSPEC}); its answer comes from {@link #await}. */
    void resolve(int family);

    /** Starts a non-blocking connect as attempt id; its result comes from {@link #await}, even an immediate one. */
    void start(int id, SockAddr to);

    /** The next event, or null once deadlineNanos has passed without one. */
    Event await(long deadlineNanos) throws NativeSocketException;

    /** Closes attempt id (it lost, or the connect is over); nothing when it is closed already. */
    void abandon(int id);

    /** Hands the connected socket of attempt id to the caller, in blocking mode. */
    NativeSocket take(int id) throws NativeSocketException;

    /**
     * RFC 8305 §7: checks whether the host is IPv6-only and, if it is, finds the IPv4 addresses
     * to reach and the NAT64 prefixes from source; the answer comes from {@link #await} as
     * {@link Nat64Found}.
     */
    void nat64(ConnectOptions.Nat64Source source);

    /** Something that happened. */
    sealed interface Event permits Resolved, Done, Cancelled, Nat64Found {}

    /**
     * The answer to {@link #nat64}: ipv6Only false means RFC 8305 §7 does not apply (the rest
     * is empty); else the IPv4 addresses, the prefixes, and why there is nothing to synthesize.
     */
    record Nat64Found(boolean ipv6Only, List<Inet4SockAddr> ipv4, List<Nat64> prefixes, String error) implements Event {}

    /** A resolver answer: addresses in libc's order, or the {@code EAI_*} name of a failure. */
    record Resolved(int family, List<SockAddr> addresses, String error) implements Event {}

    /** An attempt ended: errno null means connected, else its errno name. */
    record Done(int id, String errno) implements Event {}

    /** The connect was cancelled; why is {@code ECANCELED} or "interrupted". */
    record Cancelled(String why) implements Event {}
}
