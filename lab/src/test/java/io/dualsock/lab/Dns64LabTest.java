package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.dualsock.Inet4SockAddr;
import io.dualsock.Nat64;

/**
 * DNS64 in the lab (Unbound's dns64 module in the lab's ds-<lab id>-dns) and RFC 7050 discovery against it, for the
 * well-known prefix, a network-specific /64 and a /40: discovery in a dns64 host finds the
 * topology's prefix, the same addresses {@code getent ahostsv6 ipv4only.arpa} shows there, and
 * keeps it for the DNS TTL on a clock the test moves; an A-only lab name comes back synthesized;
 * a host without dns64 finds no DNS64; Unbound is gone after the lab.
 */
class Dns64LabTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void labCanRun() {
        LabExtension.assumeLabCanRun(NameSource.DNS);
        io.dualsock.testsupport.Prerequisite.require(Dns64Server.program().isPresent(), "unbound is not installed (Debian package unbound)");
    }

    static Lab.Builder lab(String prefix) {
        return Lab.builder().host("n6", Stack.IPV6_ONLY).host("n4", Stack.IPV4_ONLY).host("nd", Stack.DUAL)
                .nat64(prefix, null).dns64("n6").nameSource(NameSource.DNS);
    }

    static List<JsonNode> probe(LabHost h, String... clockSteps) throws Exception {
        ExecResult r = h.runJava(Duration.ofSeconds(60), JavaProgram.of(Nat64Probe.class.getName(), clockSteps));
        assertEquals(0, r.exitCode(), r::toString);
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.stdout().lines().toList()) out.add(JSON.readTree(line));
        return out;
    }

    static List<String> getentAddresses(LabHost h, String name) {
        ExecResult r = h.exec(Duration.ofSeconds(10), "getent", "ahostsv6", name);
        assertEquals(0, r.exitCode(), r::toString);
        List<String> out = new ArrayList<>();
        for (String l : r.stdout().lines().toList()) {
            String a = l.strip().split("\\s+")[0];
            if (!out.contains(a)) out.add(a);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"64:ff9b::/96", "2001:db8:6464::/64", "2001:db8:6400::/40"})
    void discoveryFindsTheTopologysPrefix(String prefix) throws Exception {
        List<String> namespaces;
        long unbound;
        java.nio.file.Path unboundDir;
        try (Lab lab = lab(prefix).start()) {
            namespaces = lab.namespaces();
            unboundDir = unboundDir(lab.names().id());
            assertTrue(Files.isDirectory(unboundDir), "unbound's directory is not the lab's own " + unboundDir);
            Nat64 p = Nat64.parse(prefix);
            LabHost n6 = lab.host("n6");
            assertTrue(Files.readString(Netns.ETC_NETNS.resolve(n6.namespace()).resolve("resolv.conf")).contains("nameserver " + Dns64Server.ADDRESS6));

            // first discovery; one second before its TTL ends: from the cache; one second after: asked again
            List<JsonNode> steps = probe(n6, "0", "ttl-1", "2");
            JsonNode first = steps.get(0);
            assertEquals(List.of(prefix), texts(first.path("prefixes")), () -> first + "\nunbound:\n  " + String.join("\n  ", lab.dns64Log())
                    + "\ndnsmasq:\n  " + String.join("\n  ", lab.dnsLog()));
            List<String> expected = List.of(p.permitNonGlobal().synthesize(Inet4SockAddr.parse("192.0.0.170", 0)).address(),
                    p.permitNonGlobal().synthesize(Inet4SockAddr.parse("192.0.0.171", 0)).address());
            assertEquals(sorted(expected), sorted(texts(first.path("answers"))), first::toString);
            assertEquals(sorted(getentAddresses(n6, "ipv4only.arpa")), sorted(texts(first.path("answers"))), "getent in the same host");
            assertFalse(first.path("cached").asBoolean(), first::toString);
            long ttl = first.path("ttl").asLong();
            assertTrue(ttl > 0 && ttl <= NameFiles.IPV4ONLY_TTL, first::toString);
            assertTrue(first.path("ttlFrom").asText().equals(Dns64Server.ADDRESS6), first::toString);
            assertTrue(first.path("network").asText().matches("net:\\[\\d+\\] nameserver 2001:db8::54"), first::toString);
            assertTrue(steps.get(1).path("cached").asBoolean(), steps.get(1)::toString);
            assertEquals(1, steps.get(1).path("secondsLeft").asLong(), steps.get(1)::toString);
            assertEquals(first.path("answers"), steps.get(1).path("answers"));
            assertFalse(steps.get(2).path("cached").asBoolean(), steps.get(2)::toString);
            assertEquals(List.of(prefix), texts(steps.get(2).path("prefixes")));

            // an A-only lab name, synthesized under the prefix
            String synthesized = p.permitNonGlobal().synthesize(Inet4SockAddr.parse(lab.topology().host("n4").ipv4(), 0)).address();
            assertEquals(List.of(synthesized), getentAddresses(n6, "n4.ds.test"));

            // a host without dns64 asks dnsmasq: ipv4only.arpa has no AAAA record there
            JsonNode plain = plain(lab);
            assertEquals(List.of(), texts(plain.path("prefixes")), plain::toString);
            assertTrue(plain.path("none").asText().startsWith("EAI_NODATA") || plain.path("none").asText().startsWith("EAI_NONAME"),
                    plain::toString);
            System.out.println("measured " + prefix + ": " + steps + "; host without dns64: " + plain);
            unbound = recordedPids(lab.state().file(), "unbound").get(0);
            assertTrue(ProcessHandle.of(unbound).map(ProcessHandle::isAlive).orElse(false));
            // Unbound's sockets are in the lab's DNS namespace only: none of them in the root namespace
            for (String proto : List.of("-Hlnup", "-Hlntp")) {
                String root = Commands.run(List.of("ss", proto)).orThrow().stdout();
                assertFalse(root.contains("pid=" + unbound + ","), "unbound listens in the root namespace: " + root);
            }
            String inDns = Commands.run(List.of(Netns.IP, "netns", "exec", lab.names().namespace(DnsServer.HOST), "ss", "-Hlnup")).orThrow().stdout();
            assertTrue(inDns.contains(Dns64Server.ADDRESS4 + ":53") && inDns.contains("pid=" + unbound + ","), inDns);
        }
        Leftovers.assertNone(namespaces);
        assertFalse(ProcessHandle.of(unbound).map(ProcessHandle::isAlive).orElse(false), "unbound outlived the lab");
        assertFalse(Files.exists(unboundDir), "unbound's configuration outlived the lab");
    }

    /** A lab that fails while running (its agent killed) still removes Unbound and its directory when it closes. */
    @org.junit.jupiter.api.Test
    void aFailingLabStillRemovesUnbound() throws Exception {
        Lab lab = lab("2001:db8:6464::/96").startAllAgents(true).start();
        List<String> namespaces = lab.namespaces();
        java.nio.file.Path unboundDir = unboundDir(lab.names().id());
        long unbound = recordedPids(lab.state().file(), "unbound").get(0);
        try {
            for (long pid : Netns.pids(lab.host("n6").namespace())) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            org.junit.jupiter.api.Assertions.assertThrows(LabException.class, () -> {
                for (int i = 0; i < 50; i++) {
                    lab.host("n6").agentCounters();
                    Thread.sleep(100);
                }
            });
        } finally {
            lab.close();
        }
        Leftovers.assertNone(namespaces);
        assertFalse(ProcessHandle.of(unbound).map(ProcessHandle::isAlive).orElse(false), "unbound outlived the failed lab");
        assertFalse(Files.exists(unboundDir));
    }

    /** A lab with DNS64 in a child JVM killed with SIGKILL: the next start removes Unbound, its directory, the namespaces. */
    @org.junit.jupiter.api.Test
    void killMinus9LeavesUnboundThatTheNextStartRemoves() throws Exception {
        Lab.cleanupLeftovers(System.err);
        Process p = new ProcessBuilder(JavaCommand.current().command(Dns64LabChild.class.getName(), List.of()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8));
        List<String> line = List.of(out.readLine().split(" "));
        String id = line.get(0);
        List<String> namespaces = line.subList(1, line.size());
        java.nio.file.Path unboundDir = unboundDir(id);
        try {
            List<Long> unbound = recordedPids(LabState.recordFile(new LabNames(id)), "unbound");
            assertEquals(1, unbound.size());
            p.destroyForcibly();
            assertTrue(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(ProcessHandle.of(unbound.get(0)).map(ProcessHandle::isAlive).orElse(false), "unbound outlives its parent");
            assertTrue(Files.exists(unboundDir));
            assertTrue(Lab.cleanupLeftovers(System.err));
            Leftovers.assertNone(namespaces);
            assertFalse(ProcessHandle.of(unbound.get(0)).map(ProcessHandle::isAlive).orElse(false), "unbound was not removed");
            assertFalse(Files.exists(unboundDir), "unbound's directory was not removed");
            assertFalse(Files.exists(LabState.recordFile(new LabNames(id))), "the dead lab's record was not removed");
        } finally {
            p.destroyForcibly();
            Lab.cleanupLeftovers(System.err);
        }
    }

    /** Unbound's directory of the lab with this id: its own, never shared with another lab. */
    static java.nio.file.Path unboundDir(String labId) {
        return LabState.DIR.resolve(new LabNames(labId).dir(Dns64Server.DIR_PART));
    }

    static List<Long> recordedPids(java.nio.file.Path record, String what) throws java.io.IOException {
        JsonNode state = JSON.readTree(Files.readString(record));
        List<Long> pids = new ArrayList<>();
        for (JsonNode p : state.path("processes")) if (p.path("what").asText().equals(what)) pids.add(p.path("pid").asLong());
        return pids;
    }

    private static JsonNode plain(Lab lab) throws Exception {
        return probe(lab.host("nd"), "0").get(0);
    }

    private static List<String> texts(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static List<String> sorted(List<String> l) {
        return l.stream().sorted().toList();
    }
}
