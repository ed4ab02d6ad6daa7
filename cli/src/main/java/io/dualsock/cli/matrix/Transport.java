package io.dualsock.cli.matrix;

import io.dualsock.lab.SpelledEnum;

/** What a cell exchanges: a TCP echo, or one UDP datagram and its echo, unconnected or connected. */
public enum Transport implements SpelledEnum {
    TCP("TCP", "connect/send/recv, connect time limit"),
    /** {@code sendto}/{@code recvfrom} on an unconnected socket, with a reply time limit (SO_RCVTIMEO). */
    UDP("UDP, unconnected", "sendto/recvfrom, reply time limit"),
    /** {@code connect} then {@code send}/{@code recv}: ICMP errors come back as errno. */
    UDP_CONNECTED("UDP, connected", "connect/send/recv");

    private final String label;
    private final String calls;

    Transport(String label, String calls) {
        this.label = label;
        this.calls = calls;
    }

    public String label() { return label; }

    public String calls() { return calls; }

    public boolean isTcp() { return this == TCP; }
}
