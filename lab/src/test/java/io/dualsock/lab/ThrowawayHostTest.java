package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A throw-away host, for real: its loopback addresses per stack, its hosts file as the only
 * name source, and its removal, which the lab's record covers like any lab namespace.
 */
class ThrowawayHostTest {

    static final String HOSTS = "127.0.0.1 localhost\n198.51.100.10 a.ds.test\n2001:db8::10 a.ds.test\n";

    @BeforeEach
    void labCanRun() {
        LabExtension.assumeLabCanRun(NameSource.FILES);
    }

    /** Until {@code ip netns identify PID} names {@code ns} (bounded: 10 s), so close() is tested, not the race before it. */
    private static void awaitInside(Process p, String ns) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        String seen = "";
        while (System.nanoTime() < deadline && p.isAlive()) {
            seen = Commands.run(List.of(Netns.IP, "netns", "identify", Long.toString(p.pid()))).stdout().strip();
            if (seen.equals(ns)) return;
            Thread.sleep(20);
        }
        throw new AssertionError("process " + p.pid() + " never showed up in " + ns + " (last seen in '" + seen + "')");
    }

    private static String run(ThrowawayHost h, String... command) {
        return Commands.run(h.command(List.of(command))).orThrow().stdout();
    }

    @Test
    void eachStackPutsItsAddressesOnLoopbackAndKeepsBothLoopbacks() {
        for (Stack stack : Stack.values()) {
            try (ThrowawayHost h = ThrowawayHost.create(stack, HOSTS)) {
                String addrs = run(h, Netns.IP, "-o", "address", "show");
                assertTrue(addrs.contains("inet 127.0.0.1/8"), stack + ": " + addrs);
                assertTrue(addrs.contains("inet6 ::1/128"), stack + ": " + addrs);
                assertEquals(stack.hasIpv4(), addrs.contains("inet " + ThrowawayHost.IPV4 + "/32"), stack + ": " + addrs);
                assertEquals(stack.hasIpv6(), addrs.contains("inet6 " + ThrowawayHost.IPV6 + "/128"), stack + ": " + addrs);
                assertFalse(addrs.contains("eth0"), "no interface but lo: " + addrs);
                assertTrue(run(h, Netns.IP, "route", "show").isBlank(), "no IPv4 route out");
            }
        }
    }

    @Test
    void theHostsFileIsTheNameTableAndRewritingItInPlaceIsSeen() throws Exception {
        try (ThrowawayHost h = ThrowawayHost.create(Stack.DUAL, HOSTS)) {
            assertTrue(h.namespace().startsWith(Topology.PREFIX), h.namespace());
            String a = run(h, "getent", "ahostsv4", "a.ds.test");
            assertTrue(a.startsWith("198.51.100.10"), a);
            assertEquals("hosts: files", run(h, "grep", "^hosts:", "/etc/nsswitch.conf").strip());
            ExecResult missing = Commands.run(h.command(List.of("getent", "hosts", "b.ds.test")));
            assertEquals(2, missing.exitCode(), "not in the file, and nothing else to ask: " + missing);
            Files.writeString(h.hostsFile(), HOSTS + "198.51.100.11 b.ds.test\n", StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            assertTrue(run(h, "getent", "hosts", "b.ds.test").startsWith("198.51.100.11"));
        }
    }

    @Test
    void hostsShareOneRecordAndCloseRemovesEachWithWhatRunsInIt() throws Exception {
        ThrowawayHost first = ThrowawayHost.create(Stack.IPV4_ONLY, HOSTS);
        String firstNs = first.namespace();
        Process sleeper;
        try (ThrowawayHost second = ThrowawayHost.create(Stack.IPV6_ONLY, HOSTS)) {
            assertFalse(firstNs.equals(second.namespace()));
            String record = Leftovers.records();
            assertTrue(record.contains(firstNs) && record.contains(second.namespace()), record);
            sleeper = new ProcessBuilder(first.command(List.of("sleep", "60"))).start();
            awaitInside(sleeper, firstNs); // `ip netns exec` has entered the namespace: close must find it there
            first.close();
            assertTrue(sleeper.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "a process left inside was not ended");
            Leftovers.assertAll(List.of(second.namespace()));
            assertFalse(Leftovers.ipNetnsList().contains(firstNs));
            assertFalse(Files.exists(Netns.ETC_NETNS.resolve(firstNs)));
            assertFalse(Leftovers.records().contains(firstNs), "closed host still in the record");
            first.close(); // idempotent
        }
        // the last one removed the shared record (other labs may have records of their own)
        assertFalse(Leftovers.records().contains("throwaway"),
                "a closed throw-away host is still in the record");
    }
}
