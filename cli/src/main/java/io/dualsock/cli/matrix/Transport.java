package io.dualsock.cli.matrix;

import java.util.Locale;

/** What a cell exchanges: a TCP echo, or one UDP datagram and its echo, unconnected or connected. */
public enum Transport {
    TCP("tcp", "TCP", "connect/send/recv, connect time limit"),
    /** {@code sendto}/{@code recvfrom} on an unconnected socket, with a reply time limit (SO_RCVTIMEO). */
    UDP("udp", "UDP, unconnected", "sendto/recvfrom, reply time limit"),
    /** {@code connect} then {@code send}/{@code recv}: ICMP errors come back as errno. */
    UDP_CONNECTED("udp-connected", "UDP, connected", "connect/send/recv");

    private final String id;
    private final String label;
    private final String calls;

    Transport(String id, String label, String calls) {
        this.id = id;
        this.label = label;
        this.calls = calls;
    }

    public String id() { return id; }

    public String label() { return label; }

    public String calls() { return calls; }

    public boolean isTcp() { return this == TCP; }

    public static Transport parse(String s) {
        for (Transport t : values()) if (t.id.equals(s.toLowerCase(Locale.ROOT))) return t;
        throw new IllegalArgumentException("unknown transport \"" + s + "\" (tcp, udp, udp-connected)");
    }
}
