package io.dualsock.cli.compare;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.dualsock.cli.compare.ProbeOutput.CacheDemo;
import io.dualsock.cli.compare.ProbeOutput.CacheStep;

/**
 * The cache demonstration, run inside a child JVM that lives in a private network and mount
 * namespace where {@code /etc/hosts} is a bind mount of a file the demonstration may rewrite
 * and {@code /etc/nsswitch.conf} says {@code hosts: files} (see {@link Sandbox}). It changes
 * the answer for a name while the JVM runs and asks the JDK and libc after every change.
 */
final class CacheDemoRun {
    private CacheDemoRun() {}

    static final String NAME = "ds-cache.lab";
    static final String LATER = "ds-later.lab";

    /**
     * Runs the steps, or explains why not: the demonstration refuses to touch anything unless
     * /etc/hosts is that very file and the name service is files only.
     */
    static CacheDemo run(Path hostsFile) {
        ProbeOutput.CachePolicy policy = JdkSide.cachePolicy();
        String refusal = refusal(hostsFile);
        if (refusal != null) return new CacheDemo(NAME, policy, List.of(), refusal);
        try {
            String base = Files.readString(hostsFile);
            List<CacheStep> steps = new ArrayList<>();
            steps.add(step(hostsFile, base + "198.51.100.20 " + NAME + "\n", NAME, "198.51.100.20",
                    "add " + NAME + " = 198.51.100.20"));
            steps.add(step(hostsFile, base + "198.51.100.21 " + NAME + "\n", NAME, "198.51.100.21",
                    "change " + NAME + " to 198.51.100.21"));
            steps.add(step(hostsFile, base, NAME, null, "remove " + NAME));
            steps.add(step(hostsFile, base, LATER, null, "ask for " + LATER + " (not in the file)"));
            steps.add(step(hostsFile, base + "198.51.100.22 " + LATER + "\n", LATER, "198.51.100.22",
                    "add " + LATER + " = 198.51.100.22"));
            Files.writeString(hostsFile, base, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            return new CacheDemo(NAME, policy, steps, null);
        } catch (IOException e) {
            return new CacheDemo(NAME, policy, List.of(), "could not rewrite " + hostsFile + ": " + e);
        }
    }

    static String refusal(Path hostsFile) {
        try {
            if (!Files.isSameFile(hostsFile, Path.of("/etc/hosts"))) {
                return "/etc/hosts is not " + hostsFile + " here: the demonstration only runs in its own namespace";
            }
            String hostsLine = Files.readAllLines(Path.of("/etc/nsswitch.conf")).stream().map(String::trim)
                    .filter(l -> l.startsWith("hosts:")).findFirst().orElse("");
            if (!hostsLine.replaceAll("\\s+", " ").equals("hosts: files")) {
                return "nsswitch.conf says \"" + hostsLine + "\", not \"hosts: files\": a missing name could reach DNS";
            }
            return null;
        } catch (IOException e) {
            return "cannot check the namespace: " + e;
        }
    }

    private static CacheStep step(Path file, String content, String name, String fileAnswer, String change)
            throws IOException {
        // Rewritten in place: the bind mount follows the inode, a rename would leave /etc/hosts behind.
        Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        String jdk;
        boolean jdkCurrent;
        try {
            InetAddress[] a = InetAddress.getAllByName(name);
            jdk = Arrays.stream(a).map(InetAddress::getHostAddress).collect(Collectors.joining(", "));
            jdkCurrent = fileAnswer != null && jdk.equals(fileAnswer);
        } catch (UnknownHostException e) {
            jdk = "UnknownHostException";
            jdkCurrent = fileAnswer == null;
        }
        LibcLookup l = LibcLookup.run(name, null, LibcVariant.UNSPEC);
        String libc = l.ok() ? String.join(", ", new TreeSet<>(l.entries().stream().map(LibcLookup.Entry::address).toList()))
                : l.error();
        boolean libcCurrent = l.ok() ? libc.equals(fileAnswer) : fileAnswer == null;
        return new CacheStep(change, fileAnswer == null ? name + " absent" : name + " = " + fileAnswer, jdk, libc,
                jdkCurrent, libcCurrent);
    }
}
