package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.testsupport.Prerequisite;

/**
 * The NAT64 gateway carries data: an IPv6-only client reaches an IPv4-only server at the
 * server's address synthesized under the lab's prefix, over TCP and UDP, through dualsock's
 * {@code NativeSocket} (the agent's native side) and through {@code java.net} (its JDK side).
 * Each exchange's echo is checked byte for byte by the agent; the server reports the pool
 * address as its peer; the client's namespace counts only IPv6 and the server's only IPv4.
 */
class Nat64GatewayLabTest {
    static final String SERVER4 = "198.51.100.11";
    private static final Duration LIMIT = Duration.ofSeconds(3);

    static Topology topology() {
        return new Topology("NAT64 gateway", 7007,
                List.of(new Topology.Host("s4", Stack.IPV4_ONLY, SERVER4, null, List.of("s4.ds.test")),
                        new Topology.Host("c6", Stack.IPV6_ONLY, null, "2001:db8::22", List.of("c6.ds.test"))),
                List.of(new Topology.Server("s4-ipv4", "s4", Family.IPV4, false, "s4.ds.test", 7007, "IPv4 server")),
                List.of(), List.of(), List.of(), new Nat64Spec());
    }

    @BeforeEach
    void labCanRun() {
        LabExtension.assumeLabCanRun(NameSource.FILES);
        Prerequisite.require(Prerequisites.which("tayga").isPresent(), "tayga is not installed (bin/setup-packages --install)");
        Lab.cleanupLeftovers(System.err);
    }

    @Test
    void tcpAndUdpCrossTheGatewayBothWays() throws Exception {
        Topology t = topology();
        String target = t.nat64().synthesize(SERVER4);
        assertEquals("2001:db8:6464::c633:640b", target);
        long tayga;
        List<String> namespaces;
        String id;
        try (Lab lab = Lab.builder(t).start()) {
            namespaces = lab.namespaces();
            id = lab.names().id();
            assertTrue(namespaces.contains(lab.names().namespace("nat64")), namespaces.toString());
            tayga = LabAccess.recordedPids(lab.state().file(), "tayga").get(0);
            LabHost c6 = lab.host("c6");
            LabHost s4 = lab.host("s4");
            int n = 0;
            for (String tr : List.of("tcp", "udp", "udp-unconnected")) {
                for (String side : List.of(Agent.NATIVE, Agent.JDK)) {
                    String token = "nat64-" + side + "-" + tr + "-" + n++;
                    KernelCounters c0 = c6.agentCounters();
                    KernelCounters s0 = s4.agentCounters();
                    JsonNode r = exchange(c6, side, tr, target, token);
                    assertEquals("ok", r.path("outcome").asText(), side + " " + tr + ": " + r);
                    if (tr.equals("udp-unconnected") && side.equals(Agent.NATIVE)) {
                        assertTrue(r.path("replyFrom").asText().contains(target), "the reply comes from the synthesized address: " + r);
                    }
                    Optional<Served> served = s4.awaitServed(token, Duration.ofSeconds(5));
                    assertTrue(served.isPresent(), side + " " + tr + ": the server reported nothing");
                    assertEquals("dualsock-lab " + token, served.get().payload());
                    String peer = served.get().peer();
                    String peerAddress = peer.substring(0, peer.lastIndexOf(':'));
                    assertTrue(t.nat64().inPool(peerAddress), side + " " + tr + ": the server saw " + peer + ", not a pool address");
                    Map<String, Long> client = c6.agentCounters().minus(c0);
                    Map<String, Long> server = s4.agentCounters().minus(s0);
                    System.err.println("nat64 " + side + " " + tr + ": server saw " + peer + "; client " + client + "; server " + server);
                    assertTrue(client.getOrDefault("Ip6OutRequests", 0L) >= 1, "client sent IPv6: " + client);
                    assertTrue(client.getOrDefault("Ip6InDelivers", 0L) >= 1, "client received IPv6: " + client);
                    assertEquals(0L, client.getOrDefault("IpOutRequests", 0L), "the IPv6-only client sent no IPv4: " + client);
                    assertTrue(server.getOrDefault("IpInDelivers", 0L) >= 1, "server received IPv4: " + server);
                    assertTrue(server.getOrDefault("IpOutRequests", 0L) >= 1, "server sent IPv4: " + server);
                    assertEquals(0L, server.getOrDefault("Ip6InDelivers", 0L), "the IPv4-only server received no IPv6: " + server);
                    if (tr.equals("tcp")) {
                        assertTrue(client.getOrDefault("TcpActiveOpens", 0L) >= 1, client.toString());
                        assertTrue(server.getOrDefault("TcpPassiveOpens", 0L) >= 1, server.toString());
                    } else {
                        assertEquals(1L, client.getOrDefault("Udp6OutDatagrams", 0L), client.toString());
                        assertEquals(1L, client.getOrDefault("Udp6InDatagrams", 0L), client.toString());
                        assertEquals(1L, server.getOrDefault("UdpInDatagrams", 0L), server.toString());
                        assertEquals(1L, server.getOrDefault("UdpOutDatagrams", 0L), server.toString());
                    }
                }
            }
            assertTrue(lab.nat64Log().stream().anyMatch(l -> l.startsWith("NAT64 prefix: 2001:db8:6464::/96")), lab.nat64Log().toString());
        }
        assertFalse(ProcessHandle.of(tayga).map(ProcessHandle::isAlive).orElse(false), "tayga outlived the lab");
        Leftovers.assertNone(namespaces);
        assertNoTun(id);
    }

    static void assertNoTun(String labId) {
        String[] f = labId.split("-");
        Leftovers.assertNoTun(Long.parseLong(f[0]), Integer.parseInt(f[1]));
    }

    /** One echo exchange from the client's agent: native (NativeSocket, AF_INET6 socket) or jdk (java.net by literal). */
    static JsonNode exchange(LabHost client, String side, String tr, String address, String token) {
        ObjectNode req = AgentProcess.request(side, "exchange");
        if (side.equals(Agent.NATIVE)) {
            req.put("family", Family.IPV6.id());
            req.put("address", address);
        } else {
            req.put("name", address);
        }
        req.put("transport", tr.startsWith("udp") ? "udp" : "tcp");
        req.put("connected", tr.equals("udp"));
        req.put("port", 7007);
        req.put("timeoutMs", 3000);
        req.put("token", token);
        return client.agent().call(req, Duration.ofSeconds(15));
    }

    @Test
    void aLabThatFailsWhileRunningStillRemovesTheGateway() throws Exception {
        Lab lab = Lab.builder(topology()).start();
        List<String> namespaces = lab.namespaces();
        String id = lab.names().id();
        long tayga = LabAccess.recordedPids(lab.state().file(), "tayga").get(0);
        try {
            for (long pid : Netns.pids(lab.names().namespace("s4"))) {
                Optional<ProcessHandle> h = ProcessHandle.of(pid);
                if (h.isPresent()) {
                    h.get().destroyForcibly();
                    h.get().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            }
            LabException e = org.junit.jupiter.api.Assertions.assertThrows(LabException.class, () -> lab.host("s4").agentCounters());
            assertTrue(e.getMessage().contains("agent of host s4"), e.getMessage());
        } finally {
            lab.close();
        }
        assertFalse(ProcessHandle.of(tayga).map(ProcessHandle::isAlive).orElse(false), "tayga outlived the failed lab");
        Leftovers.assertNone(namespaces);
        assertNoTun(id);
    }

    @Test
    void killMinus9LeavesAGatewayThatTheNextStartRemoves() throws Exception {
        Process p = new ProcessBuilder(JavaCommand.current().command(Nat64LabChild.class.getName(), List.of()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            assertEquals("ready", out.readLine(), "the child lab did not start");
            long tayga = LabAccess.recordedPids(LabAccess.stateFile(p.pid(), 1), "tayga").get(0);
            List<String> namespaces = Leftovers.namespacesOf(topology(), p.pid(), 1);
            p.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertTrue(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(ProcessHandle.of(tayga).map(ProcessHandle::isAlive).orElse(false), "tayga outlives the killed JVM");
            Leftovers.assertAll(namespaces.stream().filter(n -> n.endsWith("-nat64")).toList());
            assertTrue(Lab.cleanupLeftovers(System.err));
            assertFalse(ProcessHandle.of(tayga).map(ProcessHandle::isAlive).orElse(false), "the leftover sweep left tayga");
            Leftovers.assertNone(namespaces);
            Leftovers.assertNoTun(p.pid(), 1);
        } finally {
            p.destroyForcibly();
        }
    }

    /** A JVM that starts {@link #topology()}'s lab, says "ready" and waits to be killed. */
    public static final class Nat64LabChild {
        public static void main(String[] args) throws Exception {
            Lab lab = Lab.builder(topology()).start();
            System.out.println("ready");
            System.out.flush();
            System.in.read();
            lab.close();
        }
    }

    /**
     * The Connector on the IPv6-only host reaches the IPv4-only server by its IPv4 literal only
     * with RFC 8305 §7 synthesis: without a prefix it has no address; with the topology's prefix it
     * attempts the synthesized address, the gateway translates, and the server sees a pool address.
     */
    @Test
    void anIpv4LiteralCrossesTheGatewayOnlyThroughTheConnectorsSynthesis() {
        Topology t = topology();
        String literal = SERVER4;
        String synthesized = t.nat64().synthesize(literal);
        String prefix = String.valueOf(t.nat64().prefix());
        try (Lab lab = Lab.builder(t).start()) {
            LabHost c6 = lab.host("c6");
            LabHost s4 = lab.host("s4");
            ConnectResult off = c6.connect("happy", literal, 7007, LIMIT, 250, "e2e-off", "none");
            System.out.println("[nat64 connector e2e] " + off);
            assertEquals("NO_ADDRESS", off.outcome(), off::toString);
            assertEquals(0, off.attempts(), off::toString);

            s4.discardServed();
            ConnectResult on = c6.connect("happy", literal, 7007, LIMIT, 250, "e2e-on", prefix);
            System.out.println("[nat64 connector e2e] " + on);
            assertEquals("ok", on.outcome(), on::toString);
            assertEquals("ipv6", on.family(), on::toString);
            JsonNode a = on.trace().path("attempts").get(0);
            assertEquals(synthesized, a.path("address").asText(), on::toString);
            assertEquals(literal, a.path("nat64_of").asText(), on::toString);
            Optional<Served> served = s4.awaitServed("e2e-on", Duration.ofSeconds(5));
            assertTrue(served.isPresent(), "the IPv4 server reported the exchange");
            String peer = served.get().peer();
            assertTrue(t.nat64().inPool(peer.substring(0, peer.lastIndexOf(':'))), "the server saw a pool address: " + peer);
        }
    }
}
