package io.dualsock.cli;

import io.dualsock.cli.output.AddrInfoView;
import io.dualsock.cli.output.Json;
import io.dualsock.cli.output.Table;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.AddrInfo;
import io.dualsock.Hints;
import io.dualsock.Nat64;
import io.dualsock.ResolverException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dualsock resolve}: libc's getaddrinfo, one query or a batch of JSON lines. */
@Command(name = "resolve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Resolve a name with the system's getaddrinfo(3).",
            "Prints every result in libc's order, IPv4-mapped addresses (::ffff:a.b.c.d) marked "
                + AddrInfoView.MAPPED_MARKER + ". Hint values go to libc unchanged: libc, not dualsock, "
                + "decides what is valid."},
        // Paragraphs are single strings (picocli wraps them); the JSON block is laid out by hand
        // within 80 columns.
        footer = {
            "",
            "Names: --family, --socktype and --protocol take any AF_*/PF_*, SOCK_* or IPPROTO_* name "
                + "this platform's headers define, with or without the prefix, in any case (inet6, "
                + "AF_INET6, stream, tcp), or a number in C notation (10, 0x10, 010). --flags takes AI_* "
                + "names the same way, or numbers, joined by ',' or '|' and OR-ed (v4mapped,all; "
                + "AI_V4MAPPED|AI_ALL; 0; 0x10000). An unknown name is a usage error (exit 2). "
                + "'-' as HOST or SERVICE passes NULL.",
            "",
            "--json prints one object; each --batch answer is one such object on one line:",
            "{\"query\":  {\"host\":\"h\", \"service\":null, \"family\":\"AF_INET6\",",
            "            \"socktype\":0, \"protocol\":0, \"flags\":\"v4mapped\"},",
            " \"hints\":  {\"family\":\"AF_INET6\", \"socktype\":0, \"protocol\":0,",
            "            \"flags\":\"AI_V4MAPPED\", \"ai_flags\":8},",
            "            (with AI_IDN or AI_CANONIDN also \"locale\":",
            "             {\"lc_ctype\":\"C.UTF-8\", \"codeset\":\"UTF-8\"})",
            " \"error\":  null | \"EAI_NONAME\" | ... | \"BAD_QUERY: <reason>\",",
            " \"message\": null | gai_strerror(3) text (with an EAI_* error),",
            " \"errno\":  \"EMFILE\",                      (only with EAI_SYSTEM)",
            " \"results\": [{\"family\":\"AF_INET6\", \"socktype\":\"SOCK_STREAM\",",
            "              \"protocol\":6, \"canonname\":null,",
            "              \"address\":\"::ffff:192.0.2.1\", \"port\":80,",
            "              \"flowinfo\":0, \"scope_id\":0}, ...]}",
            "In results, family and socktype are platform names (numbers where the platform has "
                + "none) and protocol is a number. \"query\" is the question as a batch line would put "
                + "it, with flags as given (--batch: the input line's object, unchanged); \"hints\" is "
                + "what libc got, absent when the query was not understood.",
            "",
            "--batch FILE ('-' for stdin) reads one JSON query per line, for example",
            "{\"host\":\"localhost\", \"service\":\"80\", \"family\":\"AF_INET6\",",
            " \"socktype\":\"SOCK_STREAM\", \"protocol\":0, \"flags\":\"AI_V4MAPPED|AI_ALL\"}",
            "host and service are strings or null (service may be an integer); family, socktype and "
                + "protocol a name or a number; flags names joined by '|', \"0\", \"0x10000\" or a "
                + "number. A missing field is null or 0, as in a zeroed struct addrinfo; \"id\" is "
                + "yours to use; any other field is an error. One answer line per query is written, in "
                + "input order and flushed as it goes, with \"line\" giving the input line number "
                + "(blank lines are skipped). A line that is not JSON, has an unknown field or an "
                + "unknown name gets \"error\":\"BAD_QUERY: ...\" and processing continues.",
            "",
            "Exit status: 0 success (--batch: every query resolved). 1 getaddrinfo failed, its EAI_* "
                + "name on stderr (--batch: some line has an error; stderr names the first failing "
                + "line's error and counts them all). 2 bad usage: unknown option or name, missing "
                + "HOST, unreadable batch file or NAT64 prefix.",
            "",
            "--nat64-prefix PREFIX labels each IPv6 result inside PREFIX (RFC 6052: /32, /40, /48, /56, "
                + "/64 or /96) with the IPv4 address it embeds, in the table as",
            "  [NAT64 of 198.51.100.11]",
            "and in JSON (--batch too) as one more result field:",
            "  \"nat64\":{\"prefix\":\"64:ff9b::/96\", \"ipv4\":\"198.51.100.11\"}",
            "Nothing is discovered: the prefix is the one you name."})
final class ResolveCommand extends CliCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "HOST",
            description = "Name or numeric address ('-' for NULL).")
    String host;

    @Parameters(index = "1", arity = "0..1", paramLabel = "SERVICE",
            description = "Service name or port number ('-' or absent for NULL).")
    String service;

    @Mixin
    HintOptions.Family family;

    @Mixin
    HintOptions.Socktype socktype;

    @Mixin
    HintOptions.Protocol protocol;

    @Mixin
    HintOptions.Flags flags;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Option(names = "--batch", paramLabel = "FILE", description = "Answer the JSON-lines queries in FILE ('-': stdin).")
    String batch;

    @Option(names = "--nat64-prefix", paramLabel = "PREFIX",
            description = "Label results in this NAT64 prefix, e.g. 64:ff9b::/96.")
    String nat64Prefix;

    @Override
    public Integer call() throws IOException {
        Nat64 nat64 = nat64();
        if (batch != null) return runBatch(nat64);
        if (host == null) throw usage("missing HOST");
        ResolveQuery q = fromOptions();
        String flagsAsGiven = flags.given() ? flags.text() : "0";
        List<AddrInfo> results;
        try {
            results = q.resolve();
        } catch (ResolverException e) {
            if (json) Json.writePretty(out(), ResolveQuery.answer(q.toJson(flagsAsGiven), q, e));
            else out().println(q.describe());
            throw e;
        } catch (IllegalArgumentException e) {
            // The API refuses, before calling libc, what C would silently cut (a NUL) or an
            // oversized name: that is the user's input, so it is a usage error.
            throw usage(e.getMessage());
        }
        if (json) {
            Json.writePretty(out(), ResolveQuery.answer(q.toJson(flagsAsGiven), q, results, nat64));
        } else {
            printTable(q, results, nat64);
        }
        return ExitCodes.OK;
    }

    /** The prefix of {@code --nat64-prefix}, null without it; a prefix Nat64 refuses is a usage error. */
    private Nat64 nat64() {
        if (nat64Prefix == null) return null;
        try {
            return Nat64.parse(nat64Prefix);
        } catch (IllegalArgumentException e) {
            throw usage("--nat64-prefix: " + e.getMessage());
        }
    }

    private ResolveQuery fromOptions() {
        Hints hints = Hints.builder().family(family.value(0)).socktype(socktype.value(0)).protocol(protocol.value(0))
                .rawFlags(flags.value(0)).build();
        return new ResolveQuery(nullIfDash(host), nullIfDash(service), hints);
    }

    private static String nullIfDash(String s) {
        return "-".equals(s) ? null : s;
    }

    private void printTable(ResolveQuery q, List<AddrInfo> results, Nat64 nat64) {
        out().println(q.describe());
        Table t = AddrInfoView.table();
        int mapped = 0;
        int synthesized = 0;
        for (int i = 0; i < results.size(); i++) {
            AddrInfo ai = results.get(i);
            t.add(AddrInfoView.row(i + 1, ai, nat64));
            if (ai.isV4Mapped()) mapped++;
            if (AddrInfoView.isNat64(ai, nat64)) synthesized++;
        }
        t.print(out());
        out().println(results.size() + (results.size() == 1 ? " result" : " results")
                + (mapped > 0 ? ", " + mapped + " IPv4-mapped" : "")
                + (synthesized > 0 ? ", " + synthesized + " NAT64 (" + nat64 + ")" : ""));
    }

    private Integer runBatch(Nat64 nat64) throws IOException {
        if (host != null || service != null || family.given() || socktype.given() || protocol.given() || flags.given()) {
            throw usage("--batch takes host, service and hints from each line, not from HOST, SERVICE or hint options");
        }
        Map<String, Integer> failures = new TreeMap<>();
        String firstFailure = null;
        int queries = 0;
        try (BufferedReader r = open(batch)) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                queries++;
                ObjectNode answer = answerLine(line, nat64);
                ObjectNode withLine = Json.object();
                withLine.put("line", lineNo);
                withLine.setAll(answer);
                Json.writeLine(out(), withLine);
                JsonNode error = answer.get("error");
                if (!error.isNull()) {
                    String name = error.asText().startsWith("BAD_QUERY") ? "BAD_QUERY" : error.asText();
                    failures.merge(name, 1, Integer::sum);
                    if (firstFailure == null) firstFailure = name;
                }
            }
        }
        if (firstFailure == null) return ExitCodes.OK;
        int failed = failures.values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder counts = new StringBuilder();
        failures.forEach((k, v) -> counts.append(counts.length() == 0 ? "" : ", ").append(k).append(" x").append(v));
        // The name is the first failing line's, so a one-query batch reports like a single query.
        reportError(firstFailure, failed + " of " + queries + " queries failed (" + counts + ")");
        return ExitCodes.FAILURE;
    }

    private BufferedReader open(String name) {
        InputStream in;
        if ("-".equals(name)) {
            in = in();
        } else {
            try {
                in = Files.newInputStream(Path.of(name));
            } catch (NoSuchFileException e) {
                throw usage("cannot read batch file " + name + ": no such file");
            } catch (IOException | RuntimeException e) {
                throw usage("cannot read batch file " + name + ": " + e);
            }
        }
        // InputStreamReader replaces malformed UTF-8 rather than stopping the batch half-way.
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** Never throws for bad input: every line gets an answer; results inside {@code nat64} (may be null) are labelled. */
    static ObjectNode answerLine(String line, Nat64 nat64) {
        JsonNode node;
        try {
            node = Json.parse(line);
        } catch (JsonProcessingException e) {
            return ResolveQuery.badQuery(null, "invalid JSON: " + e.getOriginalMessage());
        }
        ResolveQuery q;
        try {
            q = ResolveQuery.fromJson(node);
        } catch (IllegalArgumentException e) {
            return ResolveQuery.badQuery(node, e.getMessage());
        }
        try {
            return ResolveQuery.answer(node, q, q.resolve(), nat64);
        } catch (ResolverException e) {
            return ResolveQuery.answer(node, q, e);
        } catch (IllegalArgumentException e) {
            // The API refused before calling libc (a NUL in host or service, an oversized name).
            return ResolveQuery.badQuery(node, e.getMessage());
        }
    }
}
