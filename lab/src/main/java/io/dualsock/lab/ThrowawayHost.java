package io.dualsock.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A single throw-away lab host for looking names up: one network namespace
 * ({@code ds-<lab id>-throwaway-N}) with nothing but loopback, the stack's addresses on it, and a hosts
 * file given by the caller as its whole name table. Commands run in it through
 * {@link #command}; {@link #close()} removes it.
 *
 * <pre>{@code
 * try (ThrowawayHost h = ThrowawayHost.create(Stack.IPV4_ONLY, "198.51.100.10 a.test\n")) {
 *     Process p = new ProcessBuilder(h.command(List.of("getent", "ahosts", "a.test"))).start();
 * }
 * }</pre>
 *
 * <h2>The host</h2>
 * {@code lo} is up with {@code 127.0.0.1} and {@code ::1} in every stack, plus
 * {@value #IPV4}/32 where the stack has IPv4 and {@value #IPV6}/128 where it has IPv6: the
 * non-loopback addresses are what {@code AI_ADDRCONFIG} looks at. Unlike a {@link Lab} host,
 * an IPv4-only throw-away host keeps IPv6 on loopback, so a JVM in it still finds IPv6
 * available (as on an IPv4-only machine whose kernel has IPv6). There is no other interface
 * and no route, and {@code /etc/netns/<namespace>/} holds {@code hosts} (the given text),
 * {@code nsswitch.conf} ({@code hosts: files}) and an empty {@code resolv.conf}, which
 * {@code ip netns exec} bind-mounts over {@code /etc} for each command: no lookup can leave
 * the machine.
 *
 * <h2>What it changes on the machine</h2>
 * Like everything the lab makes: the namespace and its {@code /etc/netns} entry, each recorded
 * under {@code /run/dualsock-lab} before it exists. The throw-away hosts of one JVM share one
 * lab record and lab id (the first makes it, the last to close removes it); labs running at the
 * same time, here or elsewhere, are not disturbed, and starting removes what an earlier lab
 * whose JVM has ended left (one killed, or kept with {@code --keep}). They are removed by {@link #close()}, by a shutdown hook on Ctrl-C, and
 * after {@code kill -9} by the next lab that starts ({@link Lab#cleanupLeftovers}), which also
 * kills any process still inside them.
 */
public final class ThrowawayHost implements AutoCloseable {
    /** The IPv4 address on loopback when the stack has IPv4. */
    public static final String IPV4 = "198.51.100.1";
    /** The IPv6 address on loopback when the stack has IPv6. */
    public static final String IPV6 = "2001:db8::1";

    private static final Duration LOCK_WAIT = Duration.ofSeconds(120);

    // The lab's lock and record, shared by this JVM's open throw-away hosts.
    private static final Object SHARED = new Object();
    private static LabState state;
    private static Thread shutdownHook;
    private static final Set<ThrowawayHost> open = new LinkedHashSet<>();
    private static int made;

    private final Stack stack;
    private final String namespace;

    private ThrowawayHost(Stack stack, String namespace) {
        this.stack = stack;
        this.namespace = namespace;
    }

    /**
     * Makes a host with this stack whose {@code /etc/hosts} is {@code hosts}.
     *
     * @throws LabException when namespaces cannot be made here ({@link Prerequisites#missingForNamespaces}),
     *         the lab's lock stays taken, or a step fails (whatever was made is removed)
     */
    public static ThrowawayHost create(Stack stack, String hosts) {
        Objects.requireNonNull(stack, "stack");
        Objects.requireNonNull(hosts, "hosts");
        List<String> missing = Prerequisites.missingForNamespaces();
        if (!missing.isEmpty()) throw new LabException("a lab namespace cannot be made here:\n  " + String.join("\n  ", missing));
        synchronized (SHARED) {
            if (state == null) {
                state = LabState.acquire(LOCK_WAIT, null);
                shutdownHook = new Thread(ThrowawayHost::closeAllQuietly, "ds-throwaway-cleanup");
                Runtime.getRuntime().addShutdownHook(shutdownHook);
            }
            ThrowawayHost h = new ThrowawayHost(stack, state.names().namespace("throwaway-" + (++made)));
            open.add(h);
            try {
                h.build(hosts);
            } catch (RuntimeException | Error e) {
                try {
                    h.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            return h;
        }
    }

    private void build(String hosts) {
        if (Netns.exists(namespace)) {
            throw new LabException("namespace " + namespace + " exists and is not the lab's; remove it (ip netns delete "
                    + namespace + ")");
        }
        state.recordNamespace(namespace);
        Netns.add(namespace);
        state.recordEtcEntry(namespace);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("hosts", hosts);
        files.put("nsswitch.conf", "hosts: files\n");
        files.put("resolv.conf", "");
        Path dir = Netns.ETC_NETNS.resolve(namespace);
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, String> f : files.entrySet()) {
                // ip netns exec can only bind-mount over a file /etc has.
                if (Files.exists(Path.of("/etc", f.getKey()))) {
                    Files.writeString(dir.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
                }
            }
        } catch (IOException e) {
            throw new LabException("cannot write " + dir + ": " + e.getMessage(), e);
        }
        List<String> lines = new ArrayList<>(List.of("link set lo up"));
        if (stack.hasIpv4()) lines.add("address add " + IPV4 + "/32 dev lo");
        if (stack.hasIpv6()) lines.add("address add " + IPV6 + "/128 dev lo nodad");
        Netns.batch(namespace, lines);
    }

    public Stack stack() {
        return stack;
    }

    /** The namespace's name ({@code ds-<lab id>-throwaway-N}). */
    public String namespace() {
        return namespace;
    }

    /**
     * The file commands see as {@code /etc/hosts}. Rewrite it in place to change the names
     * while they run: the bind mount follows the inode, so a rename would leave {@code /etc/hosts}
     * behind.
     */
    public Path hostsFile() {
        return Netns.ETC_NETNS.resolve(namespace).resolve("hosts");
    }

    /** The command, to run in this host: {@code ip netns exec <namespace> command...}. */
    public List<String> command(List<String> command) {
        if (command.isEmpty()) throw new IllegalArgumentException("empty command");
        List<String> out = new ArrayList<>(List.of(Netns.IP, "netns", "exec", namespace));
        out.addAll(command);
        return out;
    }

    /**
     * Removes the namespace (and any process still in it) and its {@code /etc/netns} entry;
     * the last open host removes the shared record. Idempotent.
     *
     * @throws LabException when something could not be removed (the next lab start tries again)
     */
    @Override
    public void close() {
        synchronized (SHARED) {
            if (!open.remove(this)) return;
            List<String> problems = new ArrayList<>(state.remove(namespace));
            if (open.isEmpty()) {
                problems.addAll(state.closeAndRemove(null));
                state = null;
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException e) {
                    // already shutting down: this is the hook
                }
                shutdownHook = null;
            }
            if (!problems.isEmpty()) {
                throw new LabException("could not remove everything of " + namespace
                        + " (the next lab start tries again):\n  " + String.join("\n  ", problems));
            }
        }
    }

    private static void closeAllQuietly() {
        List<ThrowawayHost> all;
        synchronized (SHARED) {
            all = new ArrayList<>(open);
        }
        for (ThrowawayHost h : all) {
            try {
                h.close();
            } catch (RuntimeException e) {
                // left in the record: the next lab start removes it
            }
        }
    }

    @Override
    public String toString() {
        return namespace + " (" + stack.label() + ")";
    }
}
