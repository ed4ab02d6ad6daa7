package io.dualsock.cli.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A throw-away lab host for name lookups: every command given to {@link #wrap} runs under
 * {@code unshare --net --mount} in a fresh network namespace (loopback only, plus lab addresses
 * from 198.51.100.0/24 and 2001:db8::/32 on {@code lo}, so that {@code AI_ADDRCONFIG} sees the
 * chosen stack) and a private mount namespace where {@code /etc/hosts} is the lab's name table,
 * {@code /etc/nsswitch.conf} says {@code hosts: files} and {@code /etc/resolv.conf} is empty. No
 * query can leave the machine: there is no name server to ask and no route to one. Nothing in
 * the root namespace changes, and nothing needs cleaning up: the namespaces end with the process.
 * Needs root (CAP_SYS_ADMIN, CAP_NET_ADMIN), {@code unshare}, {@code mount} and {@code ip}.
 */
public final class Sandbox implements AutoCloseable {

    /** Which non-loopback addresses the lab host has, which is what AI_ADDRCONFIG looks at. */
    public enum Stack {
        DUAL("dual-stack (198.51.100.1 and 2001:db8::1 on lo)", true, true),
        IPV4("IPv4-only (198.51.100.1 on lo, no IPv6 address but ::1)", true, false),
        IPV6("IPv6-only (2001:db8::1 on lo, no IPv4 address but 127.0.0.1)", false, true);

        private final String description;
        private final boolean v4;
        private final boolean v6;

        Stack(String description, boolean v4, boolean v6) {
            this.description = description;
            this.v4 = v4;
            this.v6 = v6;
        }

        public String description() {
            return description;
        }
    }

    /** The lab's name table: one name per situation the comparison wants to show. */
    public static final String LAB_HOSTS = """
            127.0.0.1 localhost
            ::1 localhost ip6-localhost ip6-loopback
            198.51.100.10 ds-dual.lab
            2001:db8::10 ds-dual.lab
            198.51.100.11 ds-v4.lab
            2001:db8::11 ds-v6.lab
            ::ffff:198.51.100.12 ds-mapped.lab
            198.51.100.13 ds-dup.lab
            198.51.100.13 ds-dup.lab
            198.51.100.14 xn--bcher-kva.lab
            """;

    /**
     * An internationalised name: the table lists only its IDNA form {@code xn--bcher-kva.lab}, so
     * it resolves only when someone converts it (libc with AI_IDN in a UTF-8 locale, or
     * {@code java.net.IDN.toASCII}).
     */
    public static final String IDN_NAME = "b\u00fccher.lab";

    /** The lab names, in the order reports list them. */
    public static final List<String> LAB_NAMES = List.of("ds-dual.lab", "ds-v4.lab", "ds-v6.lab", "ds-mapped.lab",
            "ds-dup.lab");

    private final Stack stack;
    private final Path dir;
    private final Path hosts;
    private final Path nsswitch;
    private final Path resolv;
    private int copies;

    private Sandbox(Stack stack) throws IOException {
        this.stack = stack;
        dir = Files.createTempDirectory("ds-compare-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        hosts = write("hosts", LAB_HOSTS);
        nsswitch = write("nsswitch.conf", "hosts: files\n");
        resolv = write("resolv.conf", "");
    }

    /**
     * A lab host with that stack.
     *
     * @throws IllegalStateException with {@link #unavailableReason()} when it cannot be made here
     */
    public static Sandbox create(Stack stack) {
        String why = unavailableReason();
        if (why != null) throw new IllegalStateException(why);
        try {
            return new Sandbox(stack);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Null when namespaces can be made here, else what is missing. */
    public static String unavailableReason() {
        if (!isRoot()) return "the lab namespace needs root (unshare --net --mount)";
        for (String tool : List.of("unshare", "mount", "ip")) {
            if (which(tool) == null) return "the lab namespace needs " + tool + " on PATH";
        }
        return null;
    }

    public Stack stack() {
        return stack;
    }

    /** A private copy of the name table, for a child that rewrites it (the cache demonstration). */
    public Path hostsCopy() {
        return write("hosts." + (++copies), LAB_HOSTS);
    }

    /** The command, run inside a fresh lab namespace whose /etc/hosts is the shared name table. */
    public List<String> wrap(List<String> command) {
        return wrap(command, hosts);
    }

    /** The command, run inside a fresh lab namespace whose /etc/hosts is hostsFile. */
    public List<String> wrap(List<String> command, Path hostsFile) {
        StringBuilder script = new StringBuilder("set -e\nPATH=\"$PATH:/usr/sbin:/sbin\"\n")
                .append("mount --bind \"$1\" /etc/hosts\n")
                .append("mount --bind \"$2\" /etc/nsswitch.conf\n")
                .append("mount --bind \"$3\" /etc/resolv.conf\n")
                .append("ip link set lo up\n");
        if (stack.v4) script.append("ip addr add 198.51.100.1/32 dev lo\n");
        if (stack.v6) script.append("ip -6 addr add 2001:db8::1/128 dev lo nodad\n");
        script.append("shift 3\nexec \"$@\"\n");
        List<String> out = new ArrayList<>(List.of("unshare", "--net", "--mount", "--propagation", "private", "--",
                "/bin/sh", "-c", script.toString(), "ds-lab", hostsFile.toString(), nsswitch.toString(), resolv.toString()));
        out.addAll(command);
        return out;
    }

    /** A one-line description for report headers. */
    public String describe() {
        return "lab namespace (unshare --net --mount): " + stack.description() + "; /etc/hosts = the lab table; "
                + "nsswitch hosts: files; empty resolv.conf";
    }

    private Path write(String name, String content) {
        try {
            Path p = dir.resolve(name);
            Files.writeString(p, content);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }

    static boolean isRoot() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("Uid:")) return l.split("\\s+")[2].equals("0");
            }
        } catch (IOException ignored) {
            // not Linux: no namespaces either
        }
        return false;
    }

    static Path which(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String d : (path + ":/usr/sbin:/sbin").split(":")) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, tool);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }
}
