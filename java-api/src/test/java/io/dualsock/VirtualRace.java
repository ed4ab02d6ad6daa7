package io.dualsock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

import io.dualsock.bindings.Platform;

/**
 * A {@link RaceEnv} with a virtual clock and scripted outcomes: resolver answers at given times,
 * each address connecting, failing or never answering after a given time. Nothing real happens;
 * it records what the algorithm started and closed.
 */
final class VirtualRace implements RaceEnv {
    static final int AF_INET = Platform.AF_INET;
    static final int AF_INET6 = Platform.AF_INET6;
    static final int AF_UNSPEC = Platform.AF_UNSPEC;
    /** An outcome that never arrives: a blackholed SYN. */
    static final String NEVER = "never";

    private record Timed(long at, long seq, Event event) {}

    private record Outcome(long afterMs, String result) {}

    private long now = 1_000_000_000L; // not zero: the algorithm must work from its own start
    private long seq;
    private final PriorityQueue<Timed> queue =
            new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private final Map<Integer, Timed> answers = new HashMap<>();
    private final Map<SockAddr, Outcome> outcomes = new HashMap<>();
    private final long start = now;
    final List<Integer> resolved = new ArrayList<>();
    final List<SockAddr> started = new ArrayList<>();
    final Set<Integer> open = new HashSet<>();
    final Set<Integer> taken = new HashSet<>();
    /** How often the algorithm asked {@link #nat64}. */
    int nat64Asked;
    private boolean ipv6Only;
    private long nat64AfterMs;
    private List<Inet4SockAddr> nat64Ipv4 = List.of();
    private String nat64Error;

    static SockAddr v6(int last) {
        return SockAddr.parse("2001:db8::" + last, 80);
    }

    static SockAddr v4(int last) {
        return SockAddr.parse("198.51.100." + last, 80);
    }

    /** The query for family answers at atMs with these addresses. */
    VirtualRace answer(int family, long atMs, SockAddr... addresses) {
        answers.put(family, new Timed(ms(atMs), seq++, new Resolved(family, List.of(addresses), null)));
        return this;
    }

    /** The query for family fails at atMs with an EAI name. */
    VirtualRace answerError(int family, long atMs, String eai) {
        answers.put(family, new Timed(ms(atMs), seq++, new Resolved(family, List.of(), eai)));
        return this;
    }

    /** An attempt to a ends afterMs after it starts: null connects, else an errno name; {@link #NEVER}. */
    VirtualRace outcome(SockAddr a, long afterMs, String result) {
        outcomes.put(a, new Outcome(afterMs, result));
        return this;
    }

    /**
     * The host is IPv6-only: {@link #nat64} answers afterMs after it is asked with these IPv4
     * addresses (the literal or the A answer without AI_ADDRCONFIG), the prefixes of the source
     * it is given, or the error.
     */
    VirtualRace ipv6Only(long afterMs, String error, Inet4SockAddr... ipv4) {
        ipv6Only = true;
        nat64AfterMs = afterMs;
        nat64Ipv4 = List.of(ipv4);
        nat64Error = error;
        return this;
    }

    /** A cancel arrives at atMs. */
    VirtualRace cancelAt(long atMs, String why) {
        queue.add(new Timed(ms(atMs), seq++, new Cancelled(why)));
        return this;
    }

    private long ms(long m) {
        return start + m * 1_000_000L;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void resolve(int family) {
        resolved.add(family);
        Timed t = answers.get(family);
        if (t != null) queue.add(new Timed(Math.max(t.at, now), t.seq, t.event));
    }

    @Override
    public void nat64(ConnectOptions.Nat64Source source) {
        nat64Asked++;
        Event e;
        if (!ipv6Only) {
            e = new Nat64Found(false, List.of(), List.of(), null);
        } else if (nat64Error != null) {
            e = new Nat64Found(true, nat64Ipv4, List.of(), nat64Error);
        } else {
            try {
                e = new Nat64Found(true, nat64Ipv4, source.prefixes(), null);
            } catch (ResolverException x) {
                e = new Nat64Found(true, nat64Ipv4, List.of(), "no NAT64 prefix: discovery failed with " + x.codeName());
            }
        }
        queue.add(new Timed(now + nat64AfterMs * 1_000_000L, seq++, e));
    }

    @Override
    public void start(int id, SockAddr to) {
        started.add(to);
        open.add(id);
        Outcome o = outcomes.get(to);
        if (o == null) throw new AssertionError("no outcome scripted for " + to);
        if (!NEVER.equals(o.result)) {
            queue.add(new Timed(now + o.afterMs * 1_000_000L, seq++, new Done(id, o.result)));
        }
    }

    @Override
    public Event await(long deadlineNanos) {
        Timed t = queue.peek();
        if (t != null && t.at <= deadlineNanos) {
            queue.poll();
            now = Math.max(now, t.at);
            return t.event;
        }
        if (deadlineNanos == Long.MAX_VALUE) throw new AssertionError("the algorithm would wait forever");
        now = Math.max(now, deadlineNanos);
        return null;
    }

    @Override
    public void abandon(int id) {
        open.remove(id);
        queue.removeIf(t -> t.event instanceof Done d && d.id() == id);
    }

    @Override
    public NativeSocket take(int id) {
        open.remove(id);
        taken.add(id);
        return null;
    }
}
