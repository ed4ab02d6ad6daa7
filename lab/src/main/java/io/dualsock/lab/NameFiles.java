package io.dualsock.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files {@code ip netns exec} bind-mounts over {@code /etc} for a host's processes: its
 * name table. Only processes started through {@code ip netns exec} see them (a bind mount
 * lives in the mount namespace that command makes), which is why the lab's clients are
 * processes and not threads.
 *
 * <ul>
 *   <li>{@code hosts}: loopback, plus (resolver {@code files}) every name of the topology;</li>
 *   <li>{@code nsswitch.conf}: {@code hosts: files} or {@code hosts: files dns}, every other
 *       database {@code files}, so no lookup reaches a service outside the lab;</li>
 *   <li>{@code resolv.conf}: the lab's DNS server over the IP versions the host has
 *       (resolver {@code dns}), or no server at all;</li>
 *   <li>{@code gai.conf}: the host's {@code gai_conf} from the topology, else empty, so that
 *       glibc sorts with its built-in tables (RFC 3484's precedences) and not with whatever
 *       this machine's {@code /etc/gai.conf} says;</li>
 *   <li>{@code host.conf}: {@code multi on}, so a name with several lines in the hosts file
 *       returns all of them.</li>
 * </ul>
 * A file is only written when {@code /etc} has one to cover ({@code ip netns exec} cannot
 * bind-mount over a missing file).
 */
final class NameFiles {
    private NameFiles() {}

    static Map<String, String> files(Topology t, Topology.Host h, NameSource source) {
        Map<String, String> m = new LinkedHashMap<>();
        StringBuilder hosts = new StringBuilder();
        hosts.append("# dualsock lab, host ").append(h.name()).append(" (").append(h.stack().label())
                .append("), names from ").append(source == NameSource.FILES ? "this file" : "the lab's DNS server").append('\n');
        hosts.append("127.0.0.1\tlocalhost\n");
        hosts.append("::1\tlocalhost ip6-localhost ip6-loopback\n");
        if (source == NameSource.FILES) {
            for (Topology.NameRecord r : t.nameTable().values()) {
                for (String a : r.a()) hosts.append(a).append('\t').append(r.name()).append('\n');
                for (String a : r.aaaa()) hosts.append(a).append('\t').append(r.name()).append('\n');
            }
        }
        m.put("hosts", hosts.toString());
        StringBuilder ns = new StringBuilder("# dualsock lab: every lookup stays inside the lab\n");
        for (String db : List.of("passwd", "group", "shadow", "gshadow")) ns.append(db).append(":\tfiles\n");
        ns.append("hosts:\t").append(source == NameSource.FILES ? "files" : "files dns").append('\n');
        for (String db : List.of("networks", "protocols", "services", "ethers", "rpc", "netgroup")) {
            ns.append(db).append(":\tfiles\n");
        }
        m.put("nsswitch.conf", ns.toString());
        StringBuilder rc = new StringBuilder("# dualsock lab\n");
        if (source == NameSource.DNS) {
            if (h.stack().hasIpv4()) rc.append("nameserver ").append(Topology.DNS4).append('\n');
            if (h.stack().hasIpv6()) rc.append("nameserver ").append(Topology.DNS6).append('\n');
        } else {
            rc.append("# no nameserver: nsswitch.conf says hosts: files\n");
        }
        rc.append("options timeout:1 attempts:2\n");
        m.put("resolv.conf", rc.toString());
        m.put("gai.conf", h.gaiConf() != null ? h.gaiConf()
                : "# dualsock lab: empty, so glibc uses its built-in label, precedence and scope tables\n");
        m.put("host.conf", "multi on\n");
        return m;
    }

    /** Writes the files of one host into {@code /etc/netns/<namespace>/}; returns their names. */
    static List<String> write(Path etcNetns, String namespace, Topology t, Topology.Host h, NameSource source) throws IOException {
        Path dir = etcNetns.resolve(namespace);
        Files.createDirectories(dir);
        List<String> written = new ArrayList<>();
        for (Map.Entry<String, String> e : files(t, h, source).entrySet()) {
            if (!Files.exists(Path.of("/etc", e.getKey()))) continue;
            Files.writeString(dir.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
            written.add(e.getKey());
        }
        return written;
    }

    /**
     * dnsmasq's arguments: no configuration file, no upstream servers, no /etc/hosts, only the
     * topology's records, authoritative ({@code --local}) for each of its names, logging every
     * query to stderr.
     */
    static List<String> dnsmasqArgs(Topology t) {
        List<String> a = new ArrayList<>(List.of(Prerequisites.which("dnsmasq").map(Object::toString).orElse("dnsmasq"), "--keep-in-foreground", "--conf-file=/dev/null",
                "--no-resolv", "--no-hosts", "--no-poll", "--bind-interfaces",
                "--listen-address=" + Topology.DNS4, "--listen-address=" + Topology.DNS6,
                "--pid-file=", "--log-facility=-", "--log-queries", "--cache-size=0"));
        for (Topology.NameRecord r : t.nameTable().values()) {
            a.add("--local=/" + r.name() + "/");
            int n = Math.max(r.a().size(), r.aaaa().size());
            for (int i = 0; i < n; i++) {
                StringBuilder hr = new StringBuilder("--host-record=").append(r.name());
                if (i < r.a().size()) hr.append(',').append(r.a().get(i));
                if (i < r.aaaa().size()) hr.append(',').append(r.aaaa().get(i));
                a.add(hr.toString());
            }
        }
        return a;
    }
}
