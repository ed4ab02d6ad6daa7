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
            for (long pid : Netns.pids("ds-fb")) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
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
    void aNamespaceThatIsNotTheLabsIsNeverTouched() {
        // Someone else's namespace that happens to have a lab host's name.
        Commands.run(List.of(Netns.IP, "netns", "add", "ds-fc")).orThrow();
        try {
            LabException e = assertThrows(LabException.class, () -> Lab.builder().host("fc", Stack.DUAL).start().close());
            assertTrue(e.getMessage().contains("ds-fc exists and is not the lab's"), e.getMessage());
            assertTrue(Leftovers.ipNetnsList().contains("ds-fc"), "the lab deleted a namespace it had not made");
            Leftovers.assertNone(List.of("ds-bridge"));
        } finally {
            Commands.run(List.of(Netns.IP, "netns", "delete", "ds-fc"));
        }
    }
}
