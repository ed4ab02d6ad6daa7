package io.dualsock.lab;

import java.util.Locale;

/** Where a lab host's getaddrinfo finds the lab's names. */
public enum NameSource {
    /** Each host's own hosts file ({@code /etc/netns/ds-<lab id>-<host>/hosts}, {@code hosts: files}). */
    FILES,
    /** The lab's DNS server (dnsmasq in namespace {@code ds-<lab id>-dns}), {@code hosts: files dns}, the hosts file holding loopback only. */
    DNS;

    /** The option's word: "files" or "dns". */
    public String id() {
        return Words.of(this);
    }

    /** The source for a word in any case. */
    public static NameSource parse(String s) {
        NameSource n = Words.find(NameSource.class, s.toLowerCase(Locale.ROOT));
        if (n == null) throw new IllegalArgumentException("unknown resolver \"" + s + "\" (files, dns)");
        return n;
    }
}
