package io.dualsock.cli.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.dualsock.AiFlag;
import io.dualsock.Hints;
import io.dualsock.Resolver;
import io.dualsock.ResolverException;

/**
 * Whether a host may be looked up in the root namespace without a DNS query leaving the machine:
 * numeric literals, and names {@code /etc/hosts} lists with IPv4 when {@code files} comes first
 * (docs/compare.md, "Network safety"); everything else belongs in the lab ({@link Sandbox}).
 */
public final class RootSafety {
    private RootSafety() {}

    /** Null when host is safe to look up here, else the reason it is not. */
    public static String refusal(String host) {
        return refusal(host, Path.of("/etc/hosts"), Path.of("/etc/nsswitch.conf"));
    }

    static String refusal(String host, Path hosts, Path nsswitch) {
        if (host == null || host.isEmpty()) return "empty host";
        if (isNumeric(host)) return null;
        String line = nsswitchHosts(nsswitch);
        String[] services = line.replaceFirst("^hosts:\\s*", "").trim().split("\\s+");
        if (services.length == 0 || !services[0].equals("files")) {
            return "nsswitch.conf \"" + line + "\" does not consult files first, so a lookup of \"" + host
                    + "\" could leave the machine";
        }
        List<HostsFile.Line> lines = HostsFile.read(hosts).linesFor(host);
        if (lines.isEmpty()) {
            return "\"" + host + "\" is not in " + hosts + ": looking it up in the root namespace would send a DNS "
                    + "query off this machine";
        }
        if (lines.stream().noneMatch(HostsFile.Line::isIpv4)) {
            return "\"" + host + "\" has no IPv4 line in " + hosts + ": an AF_INET lookup would fall through to DNS";
        }
        return null;
    }

    /** libc's own opinion: getaddrinfo with AI_NUMERICHOST never consults a name service. */
    static boolean isNumeric(String host) {
        if (host.indexOf('\0') >= 0) return false;
        try {
            Resolver.getaddrinfo(host, null, Hints.builder().unspec().flags(AiFlag.NUMERICHOST).build());
            return true;
        } catch (ResolverException e) {
            return false;
        }
    }

    static String nsswitchHosts(Path nsswitch) {
        try {
            return Files.readAllLines(nsswitch).stream().map(String::trim).filter(l -> l.startsWith("hosts:")).findFirst()
                    .orElse("hosts: (none)");
        } catch (IOException e) {
            return "hosts: (unreadable)";
        }
    }
}
