package io.dualsock.lab;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds a {@link Lab}: its namespaces (named by the lab's {@link LabNames}), name tables,
 * bridge and veths, addresses, agents, DNS server and echo servers, in that order, recording
 * every item in the lab's {@link LabState} before it is made.
 */
final class LabSetup {
    private final Lab lab;
    private final Topology topology;
    private final LabNames names;
    private final LabState state;
    private final long t0 = System.nanoTime();

    LabSetup(Lab lab) {
        this.lab = lab;
        this.topology = lab.topology();
        this.state = lab.state();
        this.names = state.names();
    }

    private void progress(String what) {
        lab.log().printf("lab: %s (%d ms)%n", what, (System.nanoTime() - t0) / 1_000_000);
    }

    /** Makes everything; the caller closes the lab when this throws. */
    void build(boolean startAgents, Map<String, LabHost> hosts, Map<String, Lab.ServerInfo> servers) {
        Set<String> agentHosts = new LinkedHashSet<>();
        for (Topology.Server s : topology.servers()) agentHosts.add(s.host());
        for (Topology.Client c : topology.clients()) agentHosts.add(c.host());
        if (startAgents) topology.hosts().forEach(h -> agentHosts.add(h.name()));

        String bridgeNs = names.namespace("bridge");
        List<Topology.Host> all = new ArrayList<>(topology.hosts());
        Topology.Host dnsHost = new Topology.Host(DnsServer.HOST, Stack.DUAL, Topology.DNS4, Topology.DNS6, List.of());
        NameSource nameSource = lab.nameSource();
        if (nameSource == NameSource.DNS) all.add(dnsHost);

        List<String> made = new ArrayList<>(List.of(bridgeNs));
        for (Topology.Host h : all) made.add(names.namespace(h.name()));
        for (String ns : made) {
            if (Netns.exists(ns)) {
                throw new LabException("namespace " + ns + " exists and is not the lab's (no record of it in " + state.file() + ")");
            }
        }
        progress("creating " + made.size() + " namespaces with prefix " + names.prefix());
        for (String ns : made) {
            state.recordNamespace(ns);
            Netns.add(ns);
        }
        // Name tables first, then the agents' JVMs: they start while the network is wired.
        for (Topology.Host h : topology.hosts()) {
            String ns = names.namespace(h.name());
            state.recordEtcEntry(ns);
            try {
                NameFiles.write(Netns.ETC_NETNS, ns, topology, h, nameSource);
            } catch (IOException e) {
                throw new LabException("cannot write " + Netns.ETC_NETNS.resolve(ns) + ": " + e.getMessage(), e);
            }
        }
        for (Topology.Host h : topology.hosts()) hosts.put(h.name(), new LabHost(lab, h, names.namespace(h.name())));
        progress("starting " + agentHosts.size() + " agents");
        for (String name : agentHosts) hosts.get(name).launchAgent();

        // The bridge namespace speaks no IPv6 itself: no neighbour discovery or MLD from it.
        Netns.sysctl(bridgeNs, Map.of("net.ipv6.conf.all.disable_ipv6", "1", "net.ipv6.conf.default.disable_ipv6", "1"));
        List<String> bridge = new ArrayList<>();
        bridge.add("link add ds-br0 type bridge mcast_snooping 0");
        bridge.add("link set ds-br0 up");
        for (Topology.Host h : all) {
            String port = LabNames.bridgePort(h.name());
            bridge.add("link add " + port + " type veth peer name eth0 netns " + names.namespace(h.name()));
            bridge.add("link set " + port + " master ds-br0");
            bridge.add("link set " + port + " up");
        }
        Netns.batch(bridgeNs, bridge);

        ExecutorService pool = Executors.newFixedThreadPool(Math.max(4, agentHosts.size()), r -> {
            Thread t = new Thread(r, "ds-lab-setup");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (Topology.Host h : all) jobs.add(pool.submit(() -> configureHost(h, names.namespace(h.name()))));
            waitAll(jobs);
            progress("network wired");
            if (nameSource == NameSource.DNS) {
                lab.dns(DnsServer.start(topology, state));
                lab.log().println("lab: dnsmasq serves " + topology.nameTable().size() + " names in " + names.namespace(DnsServer.HOST));
            }
            List<Future<?>> greetings = new ArrayList<>();
            for (String name : agentHosts) {
                LabHost h = hosts.get(name);
                greetings.add(pool.submit(() -> {
                    h.agent();
                    return null;
                }));
            }
            waitAll(greetings);
            progress("agents ready");
        } finally {
            pool.shutdownNow();
        }
        // Servers start in parallel: each waits for its own agent only.
        List<CompletableFuture<Lab.ServerInfo>> starting = new ArrayList<>();
        for (Topology.Server s : topology.servers()) {
            starting.add(CompletableFuture.supplyAsync(() -> startServer(hosts.get(s.host()), s)));
        }
        for (CompletableFuture<Lab.ServerInfo> f : starting) {
            try {
                Lab.ServerInfo info = f.join();
                servers.put(info.spec().id(), info);
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new LabException(e.getCause().toString(), e.getCause());
            }
        }
        progress("servers started");
    }

    private static void waitAll(List<Future<?>> jobs) {
        RuntimeException first = null;
        for (Future<?> f : jobs) {
            try {
                f.get();
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                RuntimeException r = c instanceof RuntimeException re ? re : new LabException(c.toString(), c);
                if (first == null) first = r;
                else first.addSuppressed(r);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("interrupted while building the lab", e);
            }
        }
        if (first != null) throw first;
    }

    private static void configureHost(Topology.Host h, String ns) {
        Map<String, String> sysctl = new LinkedHashMap<>();
        if (!h.stack().hasIpv6()) {
            for (String dev : List.of("all", "default", "lo", "eth0")) sysctl.put("net.ipv6.conf." + dev + ".disable_ipv6", "1");
        } else {
            for (String dev : List.of("all", "default", "eth0")) {
                // Addresses usable at once (no duplicate address detection), and no router solicitations.
                sysctl.put("net.ipv6.conf." + dev + ".accept_dad", "0");
                sysctl.put("net.ipv6.conf." + dev + ".router_solicitations", "0");
            }
        }
        Netns.sysctl(ns, sysctl);
        List<String> lines = new ArrayList<>();
        lines.add("link set lo up");
        lines.add("link set eth0 up");
        if (h.ipv4() != null) lines.add("address add " + h.ipv4() + "/24 dev eth0");
        if (h.ipv6() != null) lines.add("address add " + h.ipv6() + "/64 dev eth0 nodad");
        for (Topology.Address a : h.addresses()) {
            // preferred_lft 0: deprecated at once (IFA_F_DEPRECATED), as after its preferred lifetime.
            lines.add("address add " + a.address() + "/" + a.prefixLength() + " dev eth0" + (a.ipv6() ? " nodad" : "")
                    + (a.deprecated() ? " preferred_lft 0" : "") + (a.home() ? " home" : ""));
        }
        Netns.batch(ns, lines);
        Impairments.apply(h, ns);
    }

    private Lab.ServerInfo startServer(LabHost h, Topology.Server s) {
        String[] outcome = new String[2];
        String[] local = new String[2];
        Boolean v6only = null;
        StringBuilder detail = new StringBuilder();
        int i = 0;
        for (String transport : List.of("tcp", "udp")) {
            ObjectNode r = AgentProcess.request("serve");
            r.put("server", s.id());
            r.put("family", s.family().id());
            r.put("transport", transport);
            r.put("port", s.port());
            r.put("v6only", s.v6only());
            JsonNode a = h.agent().call(r, Duration.ofSeconds(10));
            outcome[i] = a.path("outcome").asText();
            local[i] = a.path("local").asText(null);
            if (a.has("v6only")) v6only = a.path("v6only").asBoolean();
            if (a.has("detail")) detail.append(transport).append(": ").append(a.path("detail").asText()).append("; ");
            i++;
        }
        Lab.ServerInfo info = new Lab.ServerInfo(s, outcome[0], outcome[1], v6only, local[0], local[1], detail.toString());
        lab.log().println("lab: server " + s.id() + " on " + s.host() + ": tcp " + outcome[0] + ", udp " + outcome[1]
                + (v6only != null ? ", IPV6_V6ONLY " + (v6only ? "on" : "off") : ""));
        return info;
    }
}
