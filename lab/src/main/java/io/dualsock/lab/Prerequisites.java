package io.dualsock.lab;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jnr.posix.POSIXFactory;

/**
 * What the lab needs from this machine, checked without changing anything: root's
 * capabilities, the programs it runs, and IPv6 in the kernel. The one place that asks for the
 * effective uid, the effective capabilities and where a program is; {@code dualsock selftest}
 * and the comparison ask here too.
 */
public final class Prerequisites {
    private Prerequisites() {}

    // linux/capability.h; these numbers are the kernel's ABI, stable since 2.2.
    /** {@code CAP_NET_ADMIN}: bridges, veths, addresses. */
    public static final int CAP_NET_ADMIN = 12;
    /** {@code CAP_SYS_ADMIN}: creating and entering network and mount namespaces. */
    public static final int CAP_SYS_ADMIN = 21;

    /**
     * Everything missing for a lab with this name source, one sentence of fact each (what to do
     * about each is in docs/lab.md); empty when the lab can run.
     */
    public static List<String> missing(NameSource source) {
        List<String> out = missingForNamespaces();
        if (which("sysctl").isEmpty()) out.add("sysctl: not found on PATH or in the sbin directories (Debian package procps)");
        if (source == NameSource.DNS && which("dnsmasq").isEmpty()) {
            out.add("dnsmasq: not found on PATH or in the sbin directories, and --resolver dns runs it (Debian package dnsmasq-base)");
        }
        if (!Files.exists(Path.of("/proc/net/snmp6"))) out.add("IPv6: this kernel has no IPv6 (/proc/net/snmp6 is missing)");
        return out;
    }

    /**
     * What any lab namespace needs ({@link ThrowawayHost} needs no more): root, its
     * {@code CAP_SYS_ADMIN} and {@code CAP_NET_ADMIN}, and {@code ip}. One sentence of fact each;
     * empty when namespaces can be made here.
     */
    public static List<String> missingForNamespaces() {
        List<String> out = new ArrayList<>();
        long uid = effectiveUid();
        boolean root = uid == 0;
        if (!root) {
            out.add("root: the lab creates network namespaces and writes /etc/netns, and this process "
                    + (uid < 0 ? "could not read its effective uid" : "runs as uid " + uid));
        }
        String evenRoot = root ? ", although it runs as root" : "";
        if (capabilityKnown() && !hasCapability(CAP_SYS_ADMIN)) {
            out.add("CAP_SYS_ADMIN: ip netns add/exec needs it (mount and network namespaces) and this process's "
                    + "effective set lacks it" + evenRoot);
        }
        if (capabilityKnown() && !hasCapability(CAP_NET_ADMIN)) {
            out.add("CAP_NET_ADMIN: creating the bridge, veths and addresses needs it and this process's effective set "
                    + "lacks it" + evenRoot);
        }
        if (which("ip").isEmpty()) out.add("ip: not found on PATH or in the sbin directories (Debian package iproute2)");
        return out;
    }

    /**
     * An executable found on PATH or in the sbin directories root usually has (where {@code ip}
     * lives, often off a user's PATH).
     */
    public static Optional<Path> which(String program) {
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) dirs.addAll(List.of(path.split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String d : dirs) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** geteuid(2), through jnr-posix; -1 where libc cannot be asked. */
    public static long effectiveUid() {
        try {
            return POSIXFactory.getNativePOSIX().geteuid();
        } catch (LinkageError | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Whether the capability (its number in {@code linux/capability.h}) is in this process's
     * effective set; false when the set cannot be read.
     */
    public static boolean hasCapability(int cap) {
        long capEff = capEff();
        return capEff >= 0 && ((capEff >> cap) & 1) != 0;
    }

    private static boolean capabilityKnown() {
        return capEff() >= 0;
    }

    /**
     * The effective capability set, from {@code CapEff} in {@code /proc/self/status} (jnr-posix
     * has no capget); -1 when unreadable (not Linux, no /proc).
     */
    static long capEff() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("CapEff:")) return Long.parseUnsignedLong(line.substring(7).trim(), 16);
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
