package io.dualsock.cli.compare;

import java.util.List;

import io.dualsock.lab.Stack;

/**
 * What a comparison should cover.
 *
 * @param rootHosts hosts looked up in this (root) namespace: literals, localhost, names in /etc/hosts
 * @param labHosts hosts looked up inside a lab namespace ({@link Sandbox#LAB_HOSTS})
 * @param service service for the libc side, or null
 * @param jdks the JDKs to run the JDK side on
 * @param settings the JDK settings, each in its own child JVM
 * @param labSettings the JDK settings used for lab names (a subset keeps tests fast)
 * @param sockets run the socket comparison
 * @param cacheDemo run the cache demonstration (needs the lab namespace)
 * @param labStack the lab host's stack
 * @param parallel child JVMs at a time
 * @param command the command line to record in the report
 * @param idnNames internationalised names to ask with and without AI_IDN under LANG=C and
 *     LANG=C.UTF-8 (in the lab namespace)
 */
public record CompareOptions(List<String> rootHosts, List<String> labHosts, String service, List<Jdk> jdks,
        List<JdkSetting> settings, List<JdkSetting> labSettings, boolean sockets, boolean cacheDemo, Stack labStack, int parallel, String command,
        List<String> idnNames) {

    /** Without internationalised names. */
    public CompareOptions(List<String> rootHosts, List<String> labHosts, String service, List<Jdk> jdks,
            List<JdkSetting> settings, List<JdkSetting> labSettings, boolean sockets, boolean cacheDemo, Stack labStack,
            int parallel, String command) {
        this(rootHosts, labHosts, service, jdks, settings, labSettings, sockets, cacheDemo, labStack, parallel, command, List.of());
    }

    public CompareOptions {
        rootHosts = List.copyOf(rootHosts);
        labHosts = List.copyOf(labHosts);
        idnNames = List.copyOf(idnNames);
        jdks = List.copyOf(jdks);
        settings = List.copyOf(settings);
        labSettings = List.copyOf(labSettings);
        if (jdks.isEmpty()) throw new IllegalArgumentException("no JDK to compare");
        if (settings.isEmpty()) throw new IllegalArgumentException("no JDK setting to compare");
        if (parallel < 1) throw new IllegalArgumentException("parallel < 1");
    }

    /** The hosts of the committed report: loopback literals, localhost, and every lab name. */
    public static final List<String> REPORT_ROOT_HOSTS = List.of("localhost", "127.0.0.1", "::1", "::ffff:127.0.0.1", "127.1");

    /**
     * The report's full set: both JDKs, every setting, sockets, the lab names, the cache
     * demonstration and the internationalised lab name.
     */
    public static CompareOptions report(String command) {
        return new CompareOptions(REPORT_ROOT_HOSTS, Sandbox.LAB_NAMES, null, Jdk.defaults(), List.of(JdkSetting.values()),
                List.of(JdkSetting.values()), true, true, Stack.IPV4_ONLY, 2, command, List.of(Sandbox.IDN_NAME));
    }

    /** True for a name with a character outside ASCII, which only AI_IDN (or IDN.toASCII) can turn into a DNS name. */
    public static boolean internationalised(String name) {
        return name.chars().anyMatch(c -> c > 0x7f);
    }
}
