package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Two lab test classes run at the same time in one JVM, through JUnit's own parallel execution
 * (switched on for these two classes only, in the launcher request below): each has its own
 * lab, with the same host names and addresses, and both are up at once (a barrier that only
 * opens when both tests are inside their labs). Afterwards nothing of either is left.
 */
class ParallelLabsLabTest {
    static final CyclicBarrier BOTH_UP = new CyclicBarrier(2);
    static final Map<String, List<String>> NAMESPACES = new ConcurrentHashMap<>();
    static final Map<String, Long> OVERLAP = new ConcurrentHashMap<>();

    /** The body of both classes: an exchange inside this lab while the other lab is up. */
    static void exchangeWhileTheOtherLabRuns(String who, Lab lab) throws Exception {
        NAMESPACES.put(who, lab.namespaces());
        Leftovers.assertAll(lab.namespaces());
        BOTH_UP.await(120, TimeUnit.SECONDS); // fails (BrokenBarrier/Timeout) unless both labs are up at once
        OVERLAP.put(who, System.nanoTime());
        ExchangeResult r = lab.host("a").exchange(Family.IPV6, true, true, "2001:db8::101", 7007, Duration.ofSeconds(5), who);
        assertEquals("ok", r.outcome(), r.detail());
        Optional<Served> s = lab.host("b").awaitServed(who, Duration.ofSeconds(10));
        assertTrue(s.isPresent(), who + ": its own lab's server did not report the exchange");
        assertEquals("b-ipv6", s.get().server());
        BOTH_UP.await(120, TimeUnit.SECONDS); // and both are still up after both exchanges
    }

    static Lab.Builder twoHosts() {
        return Lab.builder().host("a", Stack.DUAL).host("b", Stack.IPV6_ONLY).server("b", ServerOptions.ipv6());
    }

    /** The test of both classes; each has a lab of its own (a static extension per class). */
    abstract static class Body {
        @Test
        void exchanges(Lab lab) throws Exception {
            exchangeWhileTheOtherLabRuns(getClass().getSimpleName(), lab);
        }
    }

    @Execution(ExecutionMode.CONCURRENT)
    static class First extends Body {
        @RegisterExtension
        static final LabExtension LAB = LabExtension.of(ParallelLabsLabTest::twoHosts);
    }

    @Execution(ExecutionMode.CONCURRENT)
    static class Second extends Body {
        @RegisterExtension
        static final LabExtension LAB = LabExtension.of(ParallelLabsLabTest::twoHosts);
    }

    @Test
    void twoLabClassesRunInParallelInOneJvmAndLeaveNothing() {
        LabExtension.assumeLabCanRun(NameSource.FILES);
        List<String> rootLinksBefore = Leftovers.rootLinks();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(First.class), selectClass(Second.class))
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "same_thread")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "2")
                .build(), listener);
        TestExecutionSummary sum = listener.getSummary();
        StringWriter failures = new StringWriter();
        sum.printFailuresTo(new PrintWriter(failures), 20);
        assertEquals(0, sum.getTotalFailureCount(), failures::toString);
        assertEquals(2, sum.getTestsSucceededCount(), failures::toString);
        assertEquals(2, NAMESPACES.size(), NAMESPACES::toString);
        List<String> all = new ArrayList<>();
        NAMESPACES.values().forEach(all::addAll);
        assertTrue(Collections.disjoint(NAMESPACES.get("First"), NAMESPACES.get("Second")), NAMESPACES::toString);
        Leftovers.assertNone(all);
        assertEquals(rootLinksBefore, Leftovers.rootLinks(), "links were added to the root namespace");
    }
}
