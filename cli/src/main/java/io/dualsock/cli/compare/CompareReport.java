package io.dualsock.cli.compare;

import java.util.List;

import io.dualsock.cli.compare.ProbeOutput.CacheDemo;
import io.dualsock.cli.compare.ProbeOutput.CachePolicy;
import io.dualsock.cli.compare.ProbeOutput.JdkLookup;

/**
 * The result of a comparison: everything measured, and every difference with its explanation.
 * Written as text, Markdown or JSON by {@link ReportWriter}.
 *
 * @param environment the machine
 * @param command the command that produced the report
 * @param jdks the JDKs compared, as the probes reported themselves
 * @param hosts one block per host or literal asked
 * @param sockets socket facts, identical rows of different JDKs/settings merged
 * @param cache the cache demonstration per JDK and policy
 * @param jdkVersionDifferences where the JDKs differ from each other
 * @param notes anything that could not be done, and why
 * @param idn internationalised names: libc with and without AI_IDN and the JDK, per JDK and LANG
 */
public record CompareReport(EnvironmentInfo environment, String command, List<JdkRun> jdks, List<HostReport> hosts,
        List<SocketRow> sockets, List<CacheRun> cache, List<Difference> jdkVersionDifferences, List<String> notes,
        List<IdnRow> idn) {

    public CompareReport {
        idn = idn == null ? List.of() : List.copyOf(idn);
    }

    /**
     * An internationalised name asked in a JVM started under one {@code LANG} (the lab namespace).
     *
     * @param jdk the JDK's label
     * @param lang the child's {@code LANG} (no {@code LC_*} set)
     * @param lcCtype libc's {@code LC_CTYPE} locale in that JVM
     * @param codeset its character set, what AI_IDN reads the name in
     * @param jnuEncoding {@code sun.jnu.encoding}, what the JDK encodes the name in for getaddrinfo
     * @param lookup the answers
     */
    public record IdnRow(String jdk, String lang, String lcCtype, String codeset, String jnuEncoding,
            IdnProbe.Lookup lookup) {}

    /**
     * A JDK as the probe saw itself.
     *
     * @param label short label used in tables, e.g. {@code 17.0.15}
     * @param runtimeVersion {@code java.runtime.version}
     * @param vendor vendor version
     * @param home java.home
     * @param cachePolicy the address cache policy under the default setting
     */
    public record JdkRun(String label, String runtimeVersion, String vendor, String home, CachePolicy cachePolicy) {}

    /**
     * One host.
     *
     * @param host the name or literal
     * @param service the service (libc only; InetAddress has none), or null
     * @param where root namespace or the lab namespace description
     * @param addrconfigFamilies what AI_ADDRCONFIG lets through where it was asked
     * @param libc getaddrinfo's answer to every variant
     * @param jdk InetAddress.getAllByName under every JDK and setting
     * @param differences every difference found, each with its explanation
     * @param refused why the host was not looked up at all, or null
     */
    public record HostReport(String host, String service, String where, List<String> addrconfigFamilies,
            List<LibcLookup> libc, List<JdkRow> jdk, List<Difference> differences, String refused) {}

    /** The JDK's answer under one JDK and setting. */
    public record JdkRow(String jdk, String setting, JdkLookup lookup) {}

    /**
     * One difference.
     *
     * @param kind ORDER, DUPLICATES, MAPPED, MISSING, ERROR, ADDRCONFIG, CACHING, or JDK-VERSION
     * @param subject what it is about: a host, a socket fact id
     * @param libcVariant the libc question compared with, or null
     * @param jdk the JDK's side as text
     * @param libc the libc/kernel side as text (for JDK-VERSION: the other JDK)
     * @param appliesTo the JDK runs it was seen in ({@code 17.0.15 default}, ...)
     * @param explanation why they differ
     * @param explained false when the explanation is only a description: no known rule accounts for it
     */
    public record Difference(String kind, String subject, String libcVariant, String jdk, String libc,
            List<String> appliesTo, String explanation, boolean explained) {}

    /**
     * One socket fact with the runs it was seen in.
     *
     * @param appliesTo JDK runs showing exactly this JDK side and kernel side
     */
    public record SocketRow(String id, String topic, String jdk, String kernel, String note, List<String> appliesTo) {}

    /** The cache demonstration on one JDK under one policy. */
    public record CacheRun(String jdk, String policy, CacheDemo demo) {}
}
