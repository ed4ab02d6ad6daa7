package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Labs that fail: while running, and before they could be built. */
class LabFailureTest {

    @BeforeEach
    void labCanRun() {
        LabExtension.assumeLabCanRun(NameSource.FILES);
        Lab.cleanupLeftovers(System.err);
    }

    @Test
    void aLabWhoseAgentDiesStillRemovesEverything() throws Exception {
        Lab lab = Lab.builder().host("fa", Stack.DUAL).host("fb", Stack.IPV6_ONLY).server("fb").ipv6().v6only(false).and().start();
        List<String> namespaces = lab.namespaces();
        try {
            assertEquals("ok", lab.servers().get("fb-ipv6").tcp());
            ExchangeResult r = lab.host("fa").exchange(Family.IPV6, true, true, "2001:db8::101", 7007, Duration.ofSeconds(3), "x1");
            assertEquals("ok", r.outcome(), r.detail());
            for (long pid : Netns.pids(lab.host("fb").namespace())) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            LabException e = assertThrows(LabException.class, () -> {
                for (int i = 0; i < 50; i++) {
                    lab.host("fb").agentCounters();
                    Thread.sleep(100);
                }
            });
            assertTrue(e.getMessage().contains("agent of host fb"), e.getMessage());
        } finally {
            lab.close();
        }
        Leftovers.assertNone(namespaces);
    }

    @Test
    void aNamespaceThatIsNotTheLabsIsNeverTouched() throws Exception {
        // Someone else's namespaces: an old-style lab name, and the very name the next lab would give its host.
        String next = Leftovers.prefixOf(ProcessHandle.current().pid(), LabState.nextLabNumber()) + "fc";
        List<String> foreign = List.of("ds-fc", next);
        for (String ns : foreign) Commands.run(List.of(Netns.IP, "netns", "add", ns)).orThrow();
        try {
            List<String> made;
            try (Lab lab = Lab.builder().host("fc", Stack.DUAL).start()) {
                made = lab.namespaces();
                assertTrue(made.stream().noneMatch(foreign::contains), "the lab took a name that was in use: " + made);
                assertEquals("ok", lab.host("fc").exec(Duration.ofSeconds(5), "true").ok() ? "ok" : "failed");
            }
            for (String ns : foreign) assertTrue(Leftovers.ipNetnsList().contains(ns), "the lab deleted " + ns + ", which it had not made");
            Leftovers.assertNone(made);
        } finally {
            for (String ns : foreign) Commands.run(List.of(Netns.IP, "netns", "delete", ns));
        }
    }
}
