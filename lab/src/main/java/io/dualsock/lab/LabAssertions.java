package io.dualsock.lab;

import java.util.Objects;

/**
 * Assertions over the lab's evidence, in the style of AssertJ without depending on it: each
 * {@code assertThat} returns an object whose claims throw an {@link AssertionError} with the
 * evidence in its message (the outcome and the failing call, the addresses, the counters that
 * changed), so a failing test says what happened on the wire.
 *
 * <pre>{@code
 * import static io.dualsock.lab.LabAssertions.assertThat;
 *
 * Traffic srv = Traffic.watch(lab.host("srv"));
 * ExchangeResult r = lab.host("c").exchange(Family.IPV6, true, true, "2001:db8::100", 7007, Duration.ofSeconds(2), "t1");
 * assertThat(r).succeeded().wentOver(Family.IPV6);
 * assertThat(lab.host("srv").awaitServed("t1", Duration.ofSeconds(5)).orElseThrow()).peerIsNotMapped();
 * assertThat(srv).wentOver(Family.IPV6).receivedNo(Family.IPV4);      // "no IPv4 packet reached srv"
 * }</pre>
 */
public final class LabAssertions {
    private LabAssertions() {}

    /** Claims about one host's counter changes; messages name the host ({@link WireAssert#as}). */
    public static WireAssert assertThat(Wire wire) {
        return new WireAssert(wire, null);
    }

    /** Claims about what reached a host since {@link Traffic#watch}; the counters are read now. */
    public static WireAssert assertThat(Traffic traffic) {
        return new WireAssert(traffic.wire(), traffic.host().name());
    }

    /** Claims about one exchange made by a host's agent ({@link LabHost#exchange}). */
    public static ExchangeAssert assertThat(ExchangeResult exchange) {
        return new ExchangeAssert(exchange);
    }

    /** Claims about one connect made by a host's agent ({@link LabHost#connect}). */
    public static ConnectAssert assertThat(ConnectResult connect) {
        return new ConnectAssert(connect);
    }

    /** Claims about a lab server's report of an exchange ({@link LabHost#awaitServed}). */
    public static ServedAssert assertThat(Served served) {
        return new ServedAssert(served);
    }

    /** Claims about a process run in a host ({@link LabHost#exec}, {@link LabHost#runJava}). */
    public static ExecAssert assertThat(ExecResult result) {
        return new ExecAssert(result);
    }

    /**
     * The IP version packets from or to this socket address (as the lab prints one:
     * {@code 198.51.100.1:7007}, {@code [2001:db8::1]:7007}, {@code [::ffff:198.51.100.1]:7007})
     * travel over: an IPv4-mapped address travels as IPv4.
     */
    static Family onTheWire(String sockAddr) {
        if (sockAddr == null || !sockAddr.startsWith("[")) return Family.IPV4;
        String a = sockAddr.substring(1, Math.max(1, sockAddr.indexOf(']')));
        return a.regionMatches(true, 0, "::ffff:", 0, 7) && a.indexOf('.') > 0 ? Family.IPV4 : Family.IPV6;
    }

    /** Claims about an {@link ExchangeResult}. */
    public static final class ExchangeAssert {
        private final ExchangeResult r;

        ExchangeAssert(ExchangeResult r) {
            this.r = Objects.requireNonNull(r, "exchange");
        }

        /** The echo came back ({@code outcome} {@code ok}). */
        public ExchangeAssert succeeded() {
            if (!r.ok()) throw fail("expected the exchange to succeed, but it failed with " + r.outcome() + " at " + r.step());
            return this;
        }

        /** The exchange failed with this errno name ({@code "ECONNREFUSED"}, {@code "EAGAIN"}, ...). */
        public ExchangeAssert failedWith(String errno) {
            if (!errno.equals(r.outcome())) {
                throw fail("expected the exchange to fail with " + errno + ", but " + (r.ok() ? "it succeeded" : "it failed with "
                        + r.outcome() + " at " + r.step()));
            }
            return this;
        }

        /**
         * It succeeded over this IP version: its local address (unconnected UDP, whose local
         * address is the wildcard: its reply's source) is of that version on the wire (a mapped
         * address is IPv4) and the client's counters show the reply delivered over it and nothing
         * over the other.
         */
        public ExchangeAssert wentOver(Family family) {
            succeeded();
            boolean byReply = r.replyFrom() != null;
            Family seen = onTheWire(byReply ? r.replyFrom() : r.local());
            Wire w = Wire.of(r.clientCounters());
            if (seen != family || w.family() != family) {
                throw fail("expected the exchange to go over " + family.label() + ", but " + (byReply ? "its reply's source" : "its local address")
                        + " is " + seen.label() + " on the wire and the client received " + w.protocol());
            }
            return this;
        }

        private AssertionError fail(String claim) {
            return new AssertionError(claim + " (outcome " + r.outcome() + (r.step() == null ? "" : " at " + r.step())
                    + (r.detail() == null ? "" : ": " + r.detail()) + "; local " + r.local()
                    + (r.replyFrom() == null ? "" : "; reply from " + r.replyFrom()) + "; client: "
                    + WireAssert.evidence(Wire.of(r.clientCounters())) + ")");
        }
    }

    /** Claims about a {@link ConnectResult}. */
    public static final class ConnectAssert {
        private final ConnectResult r;

        ConnectAssert(ConnectResult r) {
            this.r = Objects.requireNonNull(r, "connect");
        }

        /** The connection was made and the echo came back. */
        public ConnectAssert succeeded() {
            if (!r.ok()) throw fail("expected the " + r.client() + " connect to succeed, but it ended with " + r.outcome());
            return this;
        }

        /** It ended with this outcome (an errno name, {@code TIMEOUT}). */
        public ConnectAssert failedWith(String outcome) {
            if (!outcome.equals(r.outcome())) throw fail("expected the " + r.client() + " connect to end with " + outcome + ", but it ended with " + r.outcome());
            return this;
        }

        /** It succeeded and the connection is of this IP version (from its peer address). */
        public ConnectAssert wentOver(Family family) {
            succeeded();
            if (!family.id().equals(r.family())) {
                throw fail("expected the " + r.client() + " connect to go over " + family.label() + ", but it went over " + r.family());
            }
            return this;
        }

        private AssertionError fail(String claim) {
            return new AssertionError(claim + " (outcome " + r.outcome() + ", family " + r.family() + ", peer " + r.peer() + ", "
                    + r.attempts() + " attempt(s), " + r.elapsedMs() + " ms" + (r.detail() == null ? "" : ", " + r.detail()) + ")");
        }
    }

    /** Claims about a {@link Served} report. */
    public static final class ServedAssert {
        private final Served s;

        ServedAssert(Served s) {
            this.s = Objects.requireNonNull(s, "served");
        }

        /** The server saw its peer as an IPv4-mapped IPv6 address: an IPv4 client of an IPv6 socket. */
        public ServedAssert peerIsMapped() {
            if (!isMapped()) throw fail("expected the server to see an IPv4-mapped peer, but it saw " + s.peer());
            return this;
        }

        /** The server saw its peer as a plain IPv4 or IPv6 address, not mapped. */
        public ServedAssert peerIsNotMapped() {
            if (isMapped()) throw fail("expected the server to see a peer that is not IPv4-mapped, but it saw " + s.peer());
            return this;
        }

        /** The peer's packets travelled over this IP version (a mapped peer is IPv4). */
        public ServedAssert peerCameOver(Family family) {
            if (onTheWire(s.peer()) != family) throw fail("expected the peer to come over " + family.label() + ", but it is " + s.peer());
            return this;
        }

        private boolean isMapped() {
            return s.peer() != null && s.peer().startsWith("[") && onTheWire(s.peer()) == Family.IPV4;
        }

        private AssertionError fail(String claim) {
            return new AssertionError(claim + " (server " + s.server() + ", " + s.transport() + ", peer " + s.peer() + ", local "
                    + s.local() + ", end " + s.end() + ")");
        }
    }

    /** Claims about an {@link ExecResult}. */
    public static final class ExecAssert {
        private final ExecResult r;

        ExecAssert(ExecResult r) {
            this.r = Objects.requireNonNull(r, "result");
        }

        /** The process exited with status 0. */
        public ExecAssert succeeded() {
            if (!r.ok()) throw new AssertionError("expected exit status 0, but it was " + r.exitCode() + ": " + r);
            return this;
        }

        /** The process exited with this status. */
        public ExecAssert exitedWith(int status) {
            if (r.exitCode() != status) throw new AssertionError("expected exit status " + status + ", but it was " + r.exitCode() + ": " + r);
            return this;
        }

        /** The process's standard output contains this text. */
        public ExecAssert stdoutContains(String text) {
            if (!r.stdout().contains(text)) throw new AssertionError("expected stdout to contain \"" + text + "\": " + r);
            return this;
        }
    }
}
