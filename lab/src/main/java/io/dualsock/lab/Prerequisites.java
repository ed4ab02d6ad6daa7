package io.dualsock.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the lab needs from this machine, checked without changing anything: root's
 * capabilities, the programs it runs, and IPv6 in the kernel.
 */
public final class Prerequisites {
    private Prerequisites() {}

    // linux/capability.h; these numbers are the kernel's ABI, stable since 2.2.
    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_SYS_ADMIN = 21;

    /**
     * Everything missing for a lab with this name source, one line each, each saying what to
     * do; empty when the lab can run.
     */
    public static List<String> missing(NameSource source) {
        List<String> out = new ArrayList<>();
        long capEff = capEff();
        boolean root = effectiveUid() == 0;
        if (!root) out.add("root: the lab creates network namespaces and writes /etc/netns (run as root, e.g. with sudo)");
        if (capEff >= 0 && ((capEff >> CAP_SYS_ADMIN) & 1) == 0) {
            out.add("CAP_SYS_ADMIN: needed for ip netns add/exec (mount and network namespaces)"
                    + (root ? "; this root lacks it (a restricted container? run with --privileged or --cap-add SYS_ADMIN)" : ""));
        }
        if (capEff >= 0 && ((capEff >> CAP_NET_ADMIN) & 1) == 0) {
            out.add("CAP_NET_ADMIN: needed to create the bridge, veths and addresses"
                    + (root ? "; this root lacks it (--cap-add NET_ADMIN)" : ""));
        }
        if (which("ip").isEmpty()) out.add("ip: iproute2 is not installed (apt-get install iproute2)");
        if (which("sysctl").isEmpty()) out.add("sysctl: procps is not installed (apt-get install procps)");
        if (source == NameSource.DNS && which("dnsmasq").isEmpty()) {
            out.add("dnsmasq: needed for --resolver dns (apt-get install dnsmasq-base)");
        }
        if (!Files.exists(Path.of("/proc/net/snmp6"))) out.add("IPv6: this kernel has no IPv6 (/proc/net/snmp6 is missing)");
        return out;
    }

    /** The program's path from PATH or the sbin directories root usually has. */
    public static Optional<Path> which(String program) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) dirs.addAll(List.of(path.split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String d : dirs) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    static long effectiveUid() {
        String v = status("Uid:");
        if (v == null) return -1;
        String[] f = v.trim().split("\\s+");
        return f.length > 1 ? Long.parseLong(f[1]) : -1;
    }

    static long capEff() {
        String v = status("CapEff:");
        return v == null ? -1 : Long.parseUnsignedLong(v.trim(), 16);
    }

    private static String status(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) return line.substring(key.length());
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }
}
