package io.dualsock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.dualsock.bindings.Platform;

/**
 * The connect algorithm, free of I/O: RFC 8305 Happy Eyeballs, or the book's sequential loop,
 * driven by the events of a {@link RaceEnv}. One run per instance, on the calling thread.
 *
 * <p>HAPPY: AAAA and A are asked at once; attempts start when a non-empty AAAA answer arrives,
 * or Resolution Delay after a non-empty A answer when the AAAA one has not; the next address is
 * IPv6 for the first First-Address-Family-Count attempts, then the family other than the last
 * attempt's (addresses arriving late join at their turn); a new attempt starts Connection
 * Attempt Delay after the previous one, or at once when one fails; no attempt is ever stopped
 * to start another; the first to connect wins and every other one is closed.
 * SEQUENTIAL: one AF_UNSPEC query, then each address in libc's order, the next only after the
 * previous one failed (UNP's {@code tcp_connect}).
 *
 * <p>HAPPY, RFC 8305 §7: when both queries have answered, nothing is left to try, nothing
 * connected and the A query gave no address, the environment is asked ({@link RaceEnv#nat64})
 * whether the host is IPv6-only; if it is, the IPv6 addresses synthesized through the NAT64
 * prefix join the IPv6 list and are tried like AAAA answers. On a host with IPv4 nothing changes.
 */
final class HappyEyeballs {
    /** The run's end: the winning attempt's id (-1: none) and the trace. */
    record Outcome(int winner, ConnectTrace trace) {}

    private static final int AF_INET = Platform.AF_INET;
    private static final int AF_INET6 = Platform.AF_INET6;
    private static final int AF_UNSPEC = Platform.AF_UNSPEC;

    private final RaceEnv env;
    private final String host;
    private final int port;
    private final ConnectOptions o;
    private final boolean happy;
    private final long t0;

    private final int[] queryFamily;
    private final ConnectTrace.Resolution[] answers;
    private List<SockAddr> v6, v4, all; // null until answered
    private long v4At = -1;
    private final List<Run> attempts = new ArrayList<>();
    private final Set<SockAddr> tried = new HashSet<>();
    private int inFlight;
    private String lastError;
    private boolean nat64Asked, nat64Answered;
    private ConnectTrace.Synthesis synthesis;
    private final Map<SockAddr, Inet4SockAddr> synthesizedFrom = new HashMap<>();

    /** One attempt while it runs; endNanos is -1 until it ended. */
    private static final class Run {
        final SockAddr address;
        final long startNanos;
        long endNanos = -1;
        String result;

        Run(SockAddr address, long startNanos) {
            this.address = address;
            this.startNanos = startNanos;
        }
    }

    HappyEyeballs(RaceEnv env, String host, int port, ConnectOptions o) {
        this.env = env;
        this.host = host;
        this.port = port;
        this.o = o;
        this.happy = o.mode() == ConnectOptions.Mode.HAPPY;
        this.t0 = env.nanoTime();
        this.queryFamily = happy ? new int[] {AF_INET6, AF_INET} : new int[] {AF_UNSPEC};
        this.answers = new ConnectTrace.Resolution[queryFamily.length];
    }

    Outcome run() throws NativeSocketException {
        long deadline = o.timeout() == null ? Long.MAX_VALUE : t0 + o.timeout().toNanos();
        long attemptDelay = o.attemptDelay().toNanos();
        long resolutionDelay = o.resolutionDelay().toNanos();
        for (int f : queryFamily) env.resolve(f);
        long nextAt = Long.MIN_VALUE; // when the next attempt may start
        for (;;) {
            long now = env.nanoTime();
            if (now >= deadline) {
                return fail(now, "ETIMEDOUT", "ETIMEDOUT: the time limit of " + o.timeout().toMillis() + " ms ran out");
            }
            boolean ready = ready(now, resolutionDelay);
            SockAddr next = ready ? next() : null;
            if (next != null && now >= nextAt) {
                start(next, now);
                nextAt = happy ? now + attemptDelay : Long.MAX_VALUE;
                continue;
            }
            if (next == null && inFlight == 0 && allAnswered()) {
                if (!nat64Asked && wantsNat64()) {
                    nat64Asked = true;
                    env.nat64(o.nat64());
                } else if (!nat64Asked || nat64Answered) {
                    return fail(now, null, failure());
                }
            }
            long wake = deadline;
            if (next != null) wake = Math.min(wake, nextAt);
            if (!ready && v6 == null && v4 != null && !v4.isEmpty()) wake = Math.min(wake, v4At + resolutionDelay);
            RaceEnv.Event e = env.await(wake);
            now = env.nanoTime();
            if (e instanceof RaceEnv.Resolved r) {
                answered(r, now);
            } else if (e instanceof RaceEnv.Done d) {
                Run a = attempts.get(d.id());
                if (a.endNanos >= 0) continue; // closed already
                a.endNanos = now;
                inFlight--;
                if (d.errno() == null) {
                    a.result = ConnectTrace.CONNECTED;
                    closeOthers(d.id(), now, ConnectTrace.ABANDONED);
                    return new Outcome(d.id(), trace(now, a.address, null));
                }
                a.result = d.errno();
                lastError = d.errno();
                env.abandon(d.id());
                nextAt = Long.MIN_VALUE; // a failure starts the next attempt at once
            } else if (e instanceof RaceEnv.Cancelled c) {
                return fail(now, "ECANCELED", c.why());
            } else if (e instanceof RaceEnv.Nat64Found n) {
                nat64Answered = true;
                if (n.ipv6Only()) synthesized(n, now);
            }
        }
    }

    /** RFC 8305 §7 may help: HAPPY with a NAT64 source, and the A query gave no address. */
    private boolean wantsNat64() {
        return happy && o.nat64() != null && v4 != null && v4.isEmpty();
    }

    /** The synthesized addresses join the IPv6 list, each remembered with its IPv4 address. */
    private void synthesized(RaceEnv.Nat64Found n, long now) {
        String source = o.nat64() instanceof ConnectOptions.GivenPrefix ? "given" : "discovered";
        Nat64Synthesis.Made made = Nat64Synthesis.synthesize(n.ipv4(), n.prefixes());
        String note = n.error() != null ? n.error() : made.note();
        synthesis = new ConnectTrace.Synthesis(source, ms(now), n.ipv4(), n.prefixes(), made.addresses(), note);
        List<SockAddr> more = new ArrayList<>(v6 == null ? List.of() : v6);
        for (int i = 0; i < made.addresses().size(); i++) {
            SockAddr a = made.addresses().get(i);
            if (more.contains(a)) continue; // a DNS64 answer already: tried (or to be tried) as that, not relabelled
            more.add(a);
            synthesizedFrom.put(a, made.from().get(i));
        }
        v6 = more;
    }

    /** HAPPY: a non-empty AAAA answer, or a non-empty A answer and no AAAA to wait for any more. */
    private boolean ready(long now, long resolutionDelay) {
        if (!happy) return all != null;
        if (v6 != null && !v6.isEmpty()) return true;
        return v4 != null && !v4.isEmpty() && (v6 != null || now >= v4At + resolutionDelay);
    }

    private SockAddr next() {
        if (!happy) return first(all);
        SockAddr n6 = first(v6), n4 = first(v4);
        if (n6 == null || n4 == null) return n6 != null ? n6 : n4;
        if (attempts.size() < o.firstAddressFamilyCount()) return n6;
        int last = attempts.get(attempts.size() - 1).address.family();
        return last == AF_INET6 ? n4 : n6;
    }

    private SockAddr first(List<SockAddr> list) {
        if (list == null) return null;
        for (SockAddr a : list) if (!tried.contains(a)) return a;
        return null;
    }

    private void start(SockAddr to, long now) {
        int id = attempts.size();
        attempts.add(new Run(to, now));
        tried.add(to);
        inFlight++;
        env.start(id, to);
    }

    private void answered(RaceEnv.Resolved r, long now) {
        List<SockAddr> list = r.error() == null ? r.addresses() : List.of();
        for (int i = 0; i < queryFamily.length; i++) {
            if (queryFamily[i] == r.family() && answers[i] == null) {
                answers[i] = new ConnectTrace.Resolution(queryName(r.family()), ms(now), list, r.error());
            }
        }
        if (r.family() == AF_INET6) v6 = list;
        else if (r.family() == AF_INET) {
            v4 = list;
            v4At = now;
        } else all = list;
    }

    private boolean allAnswered() {
        for (ConnectTrace.Resolution a : answers) if (a == null) return false;
        return true;
    }

    private String failure() {
        if (lastError != null) return lastError + ": every attempt failed";
        StringBuilder sb = new StringBuilder("no address: ");
        for (ConnectTrace.Resolution a : answers) {
            sb.append(a.query()).append(' ').append(a.error() == null ? "no records" : a.error()).append("; ");
        }
        if (synthesis != null) {
            sb.append("IPv6-only host: ").append(synthesis.note() == null ? "nothing synthesized" : synthesis.note()).append("; ");
        }
        return sb.substring(0, sb.length() - 2);
    }

    private void closeOthers(int winner, long now, String result) {
        for (int i = 0; i < attempts.size(); i++) {
            Run a = attempts.get(i);
            if (i == winner) continue;
            if (a.endNanos < 0) {
                a.endNanos = now;
                a.result = result;
                inFlight--;
            }
            env.abandon(i);
        }
    }

    private Outcome fail(long now, String inFlightResult, String why) {
        closeOthers(-1, now, inFlightResult);
        return new Outcome(-1, trace(now, null, why));
    }

    private ConnectTrace trace(long now, SockAddr winner, String failure) {
        List<ConnectTrace.Resolution> rs = new ArrayList<>();
        for (int i = 0; i < answers.length; i++) {
            rs.add(answers[i] != null ? answers[i]
                    : new ConnectTrace.Resolution(queryName(queryFamily[i]), -1, List.of(), null));
        }
        List<ConnectTrace.Attempt> as = new ArrayList<>();
        for (Run a : attempts) {
            as.add(new ConnectTrace.Attempt(a.address, a.address.family() == AF_INET6 ? "IPv6" : "IPv4",
                    ms(a.startNanos), ms(a.endNanos), a.result, synthesizedFrom.get(a.address)));
        }
        return new ConnectTrace(host, port, o.mode(), o.attemptDelay().toMillis(), rs, as, winner, ms(now), failure, synthesis);
    }

    private double ms(long nanos) {
        return Math.round((nanos - t0) / 10_000.0) / 100.0;
    }

    private static String queryName(int family) {
        return family == AF_INET6 ? "AAAA" : family == AF_INET ? "A" : "AF_UNSPEC";
    }
}
