package io.dualsock.lab;

import java.util.Locale;

/** Where a lab host's getaddrinfo finds the lab's names. */
public enum NameSource {
    /** Each host's own hosts file ({@code /etc/netns/ds-<host>/hosts}, {@code hosts: files}). */
    FILES("files"),
    /** The lab's DNS server (dnsmasq in namespace {@code ds-dns}), {@code hosts: files dns}, the hosts file holding loopback only. */
    DNS("dns");

    private final String id;

    NameSource(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static NameSource parse(String s) {
        for (NameSource n : values()) if (n.id.equals(s.toLowerCase(Locale.ROOT))) return n;
        throw new IllegalArgumentException("unknown resolver \"" + s + "\" (files, dns)");
    }
}
