package io.dualsock.cli.compare;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.dualsock.lab.Stack;

/**
 * One comparison shared by every test class of this package: child JVMs are slow on two
 * cores, so they are started once (root hosts on every JDK and setting with the socket facts;
 * three lab names on three settings; the cache demonstration; the internationalised lab name
 * under LANG=C and C.UTF-8) and the tests read the report.
 */
final class SharedRun {
    private SharedRun() {}

    static final List<String> ROOT = List.of("localhost", "127.0.0.1", "::1", "::ffff:127.0.0.1");
    static final List<String> LAB = List.of("ds-dual.lab", "ds-mapped.lab", "ds-v6.lab");
    static final List<JdkSetting> LAB_SETTINGS = List.of(JdkSetting.DEFAULT, JdkSetting.PREFER_IPV6_TRUE,
            JdkSetting.PREFER_IPV4_STACK);

    private static CompareReport report;

    static synchronized CompareReport report() {
        if (report == null) {
            boolean lab = Sandbox.unavailableReason() == null;
            report = Comparison.run(new CompareOptions(ROOT, lab ? LAB : List.of(), null, Jdk.defaults(),
                    List.of(JdkSetting.values()), LAB_SETTINGS, true, lab, Stack.IPV4_ONLY, 2, "test run",
                    lab ? List.of(Sandbox.IDN_NAME) : List.of()));
        }
        return report;
    }

    static CompareReport.HostReport host(String h) {
        return report().hosts().stream().filter(x -> x.host().equals(h)).findFirst()
                .orElseThrow(() -> new AssertionError("no report for " + h));
    }

    /** Runs a command and returns its standard output lines (stderr discarded). */
    static List<String> exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        if (p.exitValue() != 0) throw new AssertionError("exit " + p.exitValue() + ": " + cmd + "\n" + out);
        return new ArrayList<>(out.lines().toList());
    }

    private static final java.util.Map<String, List<String>> CHECKS = new java.util.HashMap<>();

    /** {@link #independentCheck} of the root hosts in this namespace, run once per JDK and setting. */
    static synchronized List<String> rootCheck(Jdk jdk, JdkSetting s) throws IOException, InterruptedException {
        String key = jdk.home() + " " + s;
        List<String> out = CHECKS.get(key);
        if (out == null) {
            out = independentCheck(jdk, s, ROOT, null);
            CHECKS.put(key, out);
        }
        return out;
    }

    /** java -cp <our class path> [setting] IndependentJdkCheck hosts..., optionally inside a sandbox. */
    static List<String> independentCheck(Jdk jdk, JdkSetting setting, List<String> hosts, Sandbox sandbox)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString()));
        List<String> jvm = new ArrayList<>(setting.jvmArgs());
        String cp = System.getProperty("java.class.path");
        int at = jvm.indexOf("-cp"); // dualsock's resolver: its jar goes in front of our class path
        if (at >= 0) {
            cp = jvm.get(at + 1) + java.io.File.pathSeparator + cp;
            jvm.subList(at, at + 2).clear();
        }
        cmd.addAll(jvm);
        cmd.add("-cp");
        cmd.add(cp);
        cmd.add(IndependentJdkCheck.class.getName());
        cmd.addAll(hosts);
        return exec(sandbox == null ? cmd : sandbox.wrap(cmd));
    }
}
