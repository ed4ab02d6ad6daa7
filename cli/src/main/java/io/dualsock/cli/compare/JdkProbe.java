package io.dualsock.cli.compare;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.dualsock.cli.compare.ProbeOutput.CacheDemo;
import io.dualsock.cli.compare.ProbeOutput.JdkLookup;
import io.dualsock.cli.compare.ProbeOutput.SocketFact;

/**
 * The program each child JVM runs: it answers for the JDK it runs on, under the properties it
 * was started with, and prints one JSON document ({@link ProbeOutput}) after the line
 * {@value #MARKER} on standard output.
 *
 * <pre>
 * java [-Djava.net.preferIPv6Addresses=..] -cp .. io.dualsock.cli.compare.JdkProbe
 *      [--setting LABEL] [--host H].. [--service S] [--libc] [--sockets]
 *      [--security networkaddress.cache.ttl=N].. [--cache-demo HOSTS_FILE]
 * </pre>
 *
 * <p>{@code --libc} also asks libc (used inside a namespace, where the parent cannot ask
 * itself). The probe performs no reverse lookups and no lookup of any name it was not given.
 */
public final class JdkProbe {
    private JdkProbe() {}

    /** The line after which the JSON document starts (anything before it is ignored). */
    public static final String MARKER = "--- dualsock JdkProbe JSON ---";

    public static void main(String[] args) throws Exception {
        String setting = "default";
        List<String> hosts = new ArrayList<>();
        List<String> security = new ArrayList<>();
        String service = null;
        boolean libc = false;
        boolean sockets = false;
        Path cacheFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--setting" -> setting = args[++i];
                case "--host" -> hosts.add(args[++i]);
                case "--service" -> service = args[++i];
                case "--libc" -> libc = true;
                case "--sockets" -> sockets = true;
                case "--security" -> security.add(args[++i]);
                case "--cache-demo" -> cacheFile = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        // Before anything can make the JDK read its cache policy.
        JdkSide.applySecurity(security);

        List<JdkLookup> lookups = new ArrayList<>();
        for (String h : hosts) lookups.add(JdkSide.lookup(h));
        List<LibcLookup> libcLookups = new ArrayList<>();
        if (libc) {
            for (String h : hosts) libcLookups.addAll(LibcLookup.runAll(h, service));
        }
        List<SocketFact> socketFacts = sockets ? SocketProbe.run() : List.of();
        CacheDemo demo = cacheFile == null ? null : CacheDemoRun.run(cacheFile);
        ProbeOutput out = new ProbeOutput(JdkSide.info(), setting, JdkSide.cachePolicy(), lookups, libcLookups,
                socketFacts, demo);

        PrintStream ps = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        ps.println(MARKER);
        ps.println(new ObjectMapper().writeValueAsString(out));
        ps.flush();
    }
}
