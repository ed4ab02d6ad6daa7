package io.dualsock.lab;

import java.util.Objects;

/**
 * A window on one host's counters: what reached the host from the moment this was made until
 * {@link #wire()} is called. For {@link LabAssertions#assertThat(Traffic)}:
 *
 * <pre>{@code
 * Traffic srv = Traffic.watch(lab.host("srv"));
 * ... an exchange with srv, its served report awaited ...
 * assertThat(srv).wentOver(Family.IPV6).receivedNo(Family.IPV4);
 * }</pre>
 *
 * The counters are read on a thread inside the host's namespace ({@link LabHost#counters()}),
 * so other traffic to the host in the window counts too; a TCP exchange is complete at the
 * server once its {@link Served} report (after the client's FIN) came.
 */
public final class Traffic {
    private final LabHost host;
    private final KernelCounters before;

    private Traffic(LabHost host, KernelCounters before) {
        this.host = host;
        this.before = before;
    }

    /** Starts the window now. */
    public static Traffic watch(LabHost host) {
        Objects.requireNonNull(host, "host");
        return new Traffic(host, host.counters());
    }

    /** The host watched. */
    public LabHost host() {
        return host;
    }

    /** The counters at the window's start. */
    public KernelCounters before() {
        return before;
    }

    /** What reached the host since the window started, read now. */
    public Wire wire() {
        return Wire.between(before, host.counters());
    }

    @Override
    public String toString() {
        return "Traffic[" + host.name() + "]";
    }
}
