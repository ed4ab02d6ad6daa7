package io.dualsock.cli;

import io.dualsock.cli.output.Json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.Inet6SockAddr;
import io.dualsock.Nat64;
import io.dualsock.Nat64Discovery;
import io.dualsock.ResolverException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dualsock nat64}: RFC 7050 NAT64 prefix discovery, what it found or why nothing. */
@Command(name = "nat64",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Discover the NAT64 prefix of this network (RFC 7050).",
            "Asks the configured resolver for the AAAA records of ipv4only.arpa (getaddrinfo, AF_INET6, no "
                + "AI_V4MAPPED) and locates the well-known addresses 192.0.0.170/171 in each answer (RFC 6052 "
                + "positions /32 ... /96). A second query in DNS wire format to the nameservers of "
                + "/etc/resolv.conf reads the TTL, which getaddrinfo does not report. Both queries go to the "
                + "DNS servers this machine is configured with: outside a lab they leave the machine."},
        footer = {
            "",
            "Prints the prefixes, the answers they came from, the TTL and the server that gave it, and the "
                + "network key the result is cached under (network namespace inode and resolv.conf nameservers).",
            "",
            "--json prints one object: {\"prefixes\": [\"64:ff9b::/96\"], \"answers\": [...], \"ttl\": seconds "
                + "(-1 unknown), \"ttl_from\", \"network\", \"error\": null or a name, \"message\"}.",
            "",
            "Exit status: 0 a prefix was found; 1 none: EAI_NODATA/EAI_NONAME (no DNS64 on this network), "
                + "NO_NAT64_PREFIX (AAAA answers without a well-known address), or another resolver error by its "
                + "EAI_* name; 2 bad usage."})
final class Nat64Command extends CliCommand {

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws ResolverException {
        ObjectNode o = Json.object();
        Nat64Discovery.Result r;
        try {
            r = Nat64Discovery.system().discover();
        } catch (ResolverException e) {
            if (json) {
                o.putArray("prefixes");
                o.putArray("answers");
                o.put("error", e.codeName()).put("message", e.getMessage());
                Json.writePretty(out(), o);
            }
            throw e;
        }
        ArrayNode prefixes = o.putArray("prefixes");
        r.prefixes().forEach(p -> prefixes.add(p.toString()));
        ArrayNode answers = o.putArray("answers");
        r.answers().forEach(a -> answers.add(a.address()));
        o.put("ttl", r.ttlSeconds()).put("ttl_from", r.ttlFrom()).put("network", r.network());
        String error = r.none() == null ? null : r.none().startsWith("EAI_") ? r.none().substring(0, r.none().indexOf(':')) : "NO_NAT64_PREFIX";
        o.put("error", error).put("message", r.none());
        if (json) {
            Json.writePretty(out(), o);
        } else {
            for (Nat64 p : r.prefixes()) out().println("prefix   " + p + (p.isWellKnown() ? "  (the well-known prefix, RFC 6052 §2.1)" : ""));
            for (Inet6SockAddr a : r.answers()) {
                out().println("answer   " + (r.prefixes().isEmpty() ? a.address() : labelled(r, a)));
            }
            if (!r.prefixes().isEmpty()) {
                out().println("ttl      " + (r.ttlSeconds() >= 0 ? r.ttlSeconds() + " s, from " + r.ttlFrom() : r.ttlFrom()));
            }
            out().println("network  " + r.network());
        }
        out().flush();
        if (error != null) throw CliException.failure(error, r.none().startsWith(error + ": ") ? r.none().substring(error.length() + 2) : r.none());
        return ExitCodes.OK;
    }

    private static String labelled(Nat64Discovery.Result r, Inet6SockAddr a) {
        for (Nat64 p : r.prefixes()) if (p.contains(a)) return p.permitNonGlobal().label(a);
        return a.address();
    }
}
