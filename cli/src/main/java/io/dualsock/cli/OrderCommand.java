package io.dualsock.cli;

import io.dualsock.cli.output.Json;
import io.dualsock.cli.output.OrderText;
import io.dualsock.cli.output.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.AddrInfo;
import io.dualsock.AddressSelection;
import io.dualsock.Hints;
import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.Names;
import io.dualsock.NativeSocketException;
import io.dualsock.Resolver;
import io.dualsock.ResolverException;
import io.dualsock.SelectionPolicy;
import io.dualsock.SockAddr;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dualsock order}: libc's destination order, predicted rule by rule, and why. */
@Command(name = "order",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Why getaddrinfo(3) returns its addresses in this order: glibc's destination address selection "
                + "(RFC 3484 rules, /etc/gai.conf) replayed rule by rule.",
            "With HOST: libc's answer, the order the rules give for it (sources found as glibc finds them: a UDP "
                + "connect and getsockname per address) and, for every adjacent pair, the rule that decided and "
                + "the values it compared. A disagreement with libc is printed; one the rules cannot account for "
                + "ends with exit status 1.",
            "With --destinations: the same for a list of numeric addresses, each source given (--sources) or "
                + "looked up."},
        footer = {
            "",
            "libc returns its answers already sorted, so with HOST the rules start from the same addresses in an "
                + "order of their own (IPv4 first, then IPv6, each by address) and their result is compared with "
                + "libc's. Where they differ, every adjacent pair of libc's order is printed with the rule that tells "
                + "it apart, and the rules are run once more from libc's own order: if they keep it, only the order "
                + "the name service gave (rule 10, which getaddrinfo does not show) separates the two; if not, the "
                + "rules contradict libc. --socktype defaults to stream here (one result per address).",
            "--sources takes one entry per destination: ADDR[/LEN][+deprecated][+home], or '-' for a "
                + "destination without a source (unusable). LEN is the source's prefix length (glibc counts "
                + "IPv4 rule 9 bits only inside it).",
            "--policy glibc (default): glibc's built-in tables, changed by /etc/gai.conf (or by --gai-conf FILE); "
                + "rfc6724: RFC 6724's table and reading of the rules, changed only by --gai-conf FILE.",
            "--json prints one object, documented in docs/cli.md.",
            "",
            "Exit status: 0 the rules give or keep libc's order (or --destinations); 1 getaddrinfo failed, or the "
                + "rules contradict libc's order (ORDER_DIFFERS); 2 bad usage."})
final class OrderCommand extends CliCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "HOST", description = "Name or numeric address.")
    String host;

    @Parameters(index = "1", arity = "0..1", paramLabel = "SERVICE", description = "Service name or port (default none).")
    String service;

    @Option(names = "--family", paramLabel = "inet|inet6|unspec|N", description = "ai_family (default AF_UNSPEC).")
    String family;

    @Option(names = "--socktype", paramLabel = "stream|dgram|raw|N", description = "ai_socktype (default SOCK_STREAM).")
    String socktype;

    @Option(names = "--flags", paramLabel = "FLAGS", description = "ai_flags, e.g. v4mapped,all (default 0).")
    String flags;

    @Option(names = "--destinations", split = ",", paramLabel = "A,B,...",
            description = "Numeric destinations to sort, in the order the name service would give them.")
    List<String> destinations;

    @Option(names = "--sources", split = ",", paramLabel = "S1,S2,...",
            description = "One source per destination (see below); default: looked up here as glibc does.")
    List<String> sources;

    @Option(names = "--policy", paramLabel = "glibc|rfc6724", description = "Tables and rules (default glibc).")
    String policy = "glibc";

    @Option(names = "--gai-conf", paramLabel = "FILE",
            description = "Read this gai.conf instead of /etc/gai.conf (glibc) / on top of RFC 6724's table.")
    Path gaiConf;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if ((host == null) == (destinations == null)) {
            throw usage(host == null ? "give HOST or --destinations" : "give HOST or --destinations, not both");
        }
        if (sources != null && destinations == null) throw usage("--sources goes with --destinations");
        if (destinations != null && (family != null || socktype != null || flags != null || service != null)) {
            throw usage("--family, --socktype, --flags and SERVICE go with HOST");
        }
        SelectionPolicy.GaiConf conf = policy();
        return host != null ? forHost(conf) : forList(conf);
    }

    private SelectionPolicy.GaiConf policy() throws IOException {
        SelectionPolicy base = switch (policy) {
            case "glibc" -> SelectionPolicy.glibc();
            case "rfc6724" -> SelectionPolicy.rfc6724();
            default -> throw usage("--policy is glibc or rfc6724, not \"" + policy + "\"");
        };
        if (gaiConf != null) {
            if (!Files.isReadable(gaiConf)) throw usage("cannot read --gai-conf " + gaiConf);
            return SelectionPolicy.readGaiConf(gaiConf, base);
        }
        return base == SelectionPolicy.glibc() ? SelectionPolicy.system() : new SelectionPolicy.GaiConf(base, false, List.of());
    }

    private String policyFile() {
        if (gaiConf != null) return gaiConf.toString();
        return policy.equals("glibc") ? "/etc/gai.conf" : null;
    }

    private int forHost(SelectionPolicy.GaiConf conf) throws NativeSocketException, ResolverException {
        Hints.Builder b = Hints.builder();
        try {
            if (family != null) b.family(HintNames.family(family));
            b.socktype(socktype != null ? HintNames.socktype(socktype) : HintNames.socktype("stream"));
            if (flags != null) b.rawFlags(HintNames.flags(flags));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        Hints hints = b.build();
        ResolveQuery q = new ResolveQuery(host, service, hints);
        List<AddrInfo> results;
        try {
            results = q.resolve();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        } catch (ResolverException e) {
            if (!json) out().println(q.describe());
            throw e;
        }
        List<SockAddr> libc = new ArrayList<>();
        for (AddrInfo ai : results) libc.add(ai.address());
        // libc's answer is sorted already; the rules start from the set in an order of their own
        // so that the order they predict is not the one they are checked against.
        List<SockAddr> start = canonical(libc);
        AddressSelection.Result r = AddressSelection.sort(start, conf.policy());
        boolean agrees = r.addresses().equals(libc);
        List<AddressSelection.Candidate> libcCandidates = inOrder(r, libc);
        List<AddressSelection.Step> libcSteps = new ArrayList<>();
        for (int i = 0; i + 1 < libcCandidates.size(); i++) libcSteps.add(r.explain(libcCandidates.get(i), libcCandidates.get(i + 1)));
        // Started from libc's own order, do the rules keep it? Then only the name service's order
        // (rule 10, not visible in the answer) separates it from the rules' order above.
        boolean contradicted = !agrees && !AddressSelection.sort(libc,
                libcCandidates.stream().map(AddressSelection.Candidate::source).toList(), conf.policy()).addresses().equals(libc);
        if (json) {
            ObjectNode o = Json.object();
            ObjectNode query = o.putObject("query");
            query.put("host", host);
            query.put("service", service);
            query.put("family", Names.family(hints.family()));
            query.put("socktype", Names.socktype(hints.socktype()));
            query.put("ai_flags", hints.flags());
            ArrayNode l = o.putArray("libc");
            libc.forEach(a -> l.add(a.address()));
            ArrayNode st = o.putArray("start");
            start.forEach(a -> st.add(a.address()));
            fill(o, conf, r);
            steps(o.putArray("libc_steps"), libcSteps);
            o.put("agrees", agrees);
            o.put("contradicted", contradicted);
            Json.writePretty(out(), o);
        } else {
            out().println(q.describe());
            printPolicy(conf);
            out().println("start: " + text(start) + " (the answer's addresses, IPv4 first, each family by address)");
            printOrder(r, libc);
            if (agrees) {
                out().println("The rules give libc's order.");
            } else {
                out().println("The rules give another order than libc's. libc's order, pair by pair:");
                for (AddressSelection.Step s : libcSteps) out().println("  " + OrderText.sentence(s));
                out().println(contradicted
                        ? "The rules contradict libc's order: started from it, they do not keep it."
                        : "No rule contradicts libc's order: started from it, the rules keep it, so only the order the "
                                + "name service gave (rule 10, which getaddrinfo does not show) separates the two.");
            }
        }
        if (contradicted) {
            reportError("ORDER_DIFFERS", "libc returned " + text(libc) + ", the rules give " + text(r.addresses()));
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }

    /** The set in an order that does not come from libc's: IPv4 first, then IPv6, each by address bytes and scope id. */
    static List<SockAddr> canonical(List<SockAddr> addresses) {
        List<SockAddr> out = new ArrayList<>(addresses);
        out.sort(Comparator.comparing((SockAddr a) -> !(a instanceof Inet4SockAddr))
                .thenComparing(SockAddr::addressBytes, Arrays::compareUnsigned)
                .thenComparingInt(a -> a instanceof Inet6SockAddr v6 ? v6.scopeId() : 0));
        return out;
    }

    /** The candidates of {@code r} in libc's order. */
    private static List<AddressSelection.Candidate> inOrder(AddressSelection.Result r, List<SockAddr> libc) {
        List<AddressSelection.Candidate> pool = new ArrayList<>(r.input());
        List<AddressSelection.Candidate> out = new ArrayList<>();
        for (SockAddr a : libc) {
            for (int i = 0; i < pool.size(); i++) {
                if (pool.get(i).destination().equals(a)) {
                    out.add(pool.remove(i));
                    break;
                }
            }
        }
        return out;
    }

    private int forList(SelectionPolicy.GaiConf conf) throws NativeSocketException {
        List<SockAddr> dst = new ArrayList<>();
        for (String d : destinations) {
            try {
                dst.add(SockAddr.parse(d.trim(), 0));
            } catch (IllegalArgumentException e) {
                throw usage("--destinations: " + e.getMessage());
            }
        }
        List<AddressSelection.Source> src;
        if (sources == null) {
            src = AddressSelection.sources(dst);
        } else {
            if (sources.size() != dst.size()) {
                throw usage("--sources has " + sources.size() + " entries for " + dst.size() + " destinations");
            }
            src = new ArrayList<>();
            for (String s : sources) src.add(source(s.trim()));
        }
        AddressSelection.Result r;
        try {
            r = AddressSelection.sort(dst, src, conf.policy());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (json) {
            ObjectNode o = Json.object();
            o.putNull("query");
            o.putNull("libc");
            fill(o, conf, r);
            o.putNull("agrees");
            Json.writePretty(out(), o);
        } else {
            printPolicy(conf);
            printOrder(r, null);
        }
        return ExitCodes.OK;
    }

    /** {@code ADDR[/LEN][+deprecated][+home]} or {@code -}. */
    private AddressSelection.Source source(String s) {
        if (s.equals("-")) return AddressSelection.Source.unusable("given as -");
        String[] parts = s.split("\\+");
        boolean deprecated = false;
        boolean home = false;
        for (int i = 1; i < parts.length; i++) {
            switch (parts[i]) {
                case "deprecated" -> deprecated = true;
                case "home" -> home = true;
                default -> throw usage("--sources: unknown flag +" + parts[i] + " in " + s + " (deprecated, home)");
            }
        }
        String addr = parts[0];
        int len = -1;
        int slash = addr.indexOf('/');
        try {
            if (slash >= 0) {
                len = Integer.parseInt(addr.substring(slash + 1));
                addr = addr.substring(0, slash);
            }
            return AddressSelection.Source.of(SockAddr.parse(addr, 0), len, deprecated, home);
        } catch (IllegalArgumentException e) {
            throw usage("--sources: " + s + ": " + e.getMessage());
        }
    }

    private void printPolicy(SelectionPolicy.GaiConf conf) {
        String file = policyFile();
        out().println("policy: " + conf.policy().name() + " (rules " + conf.policy().rules().name().toLowerCase(java.util.Locale.ROOT)
                + (file != null ? ", " + file : "") + (conf.reload() ? ", reload yes" : "") + ")");
        for (String w : conf.warnings()) out().println("  gai.conf " + w);
    }

    private void printOrder(AddressSelection.Result r, List<SockAddr> libc) {
        Table t = libc != null
                ? new Table("#", "libc", "rules", "source", "scope", "label", "prec", "prefix")
                : new Table("#", "rules", "given as", "source", "scope", "label", "prec", "prefix");
        t.rightAlign(0);
        for (int i = 0; i < r.order().size(); i++) {
            AddressSelection.Candidate c = r.order().get(i);
            String scope = c.scope() + (c.usable() ? "/" + c.sourceScope() : "");
            String label = c.label() + (c.usable() ? "/" + c.sourceLabel() : "");
            String prefix = c.usable() ? Integer.toString(c.matchingPrefix()) : "-";
            if (libc != null) {
                t.add(i + 1, libc.get(i).address(), c.destination().address(), c.source(), scope, label, c.precedence(), prefix);
            } else {
                t.add(i + 1, c.destination().address(), "#" + (c.position() + 1), c.source(), scope, label, c.precedence(), prefix);
            }
        }
        t.print(out());
        out().println("(scope and label: destination/source; prefix: common prefix bits with the source, as rule 9 counts them)");
        for (AddressSelection.Step s : r.steps()) out().println("  " + s);
    }

    /** {@code {"prefix":"::1/128","value":50}}: one line of a policy table. */
    private static void prefixEntry(ArrayNode arr, String prefix, int bits, int value) {
        arr.addObject().put("prefix", prefix + "/" + bits).put("value", value);
    }

    private static void fill(ObjectNode o, SelectionPolicy.GaiConf conf, AddressSelection.Result r) {
        ObjectNode p = o.putObject("policy");
        p.put("name", conf.policy().name());
        p.put("rules", conf.policy().rules().name().toLowerCase(java.util.Locale.ROOT));
        p.put("reload", conf.reload());
        ArrayNode w = p.putArray("warnings");
        conf.warnings().forEach(w::add);
        ArrayNode labels = p.putArray("labels"), prec = p.putArray("precedences"), scopes = p.putArray("scopes_v4");
        conf.policy().labels().forEach(e -> prefixEntry(labels, e.prefix(), e.bits(), e.value()));
        conf.policy().precedences().forEach(e -> prefixEntry(prec, e.prefix(), e.bits(), e.value()));
        conf.policy().scopes().forEach(e -> prefixEntry(scopes, e.prefix(), e.bits(), e.scope()));
        ArrayNode order = o.putArray("order");
        for (AddressSelection.Candidate c : r.order()) {
            ObjectNode n = order.addObject();
            n.put("address", c.destination().address());
            n.put("family", Names.family(c.destination().family()));
            n.put("position", c.position() + 1);
            ObjectNode s = n.putObject("source");
            AddressSelection.Source src = c.source();
            s.put("address", src.usable() ? src.address().address() : null); // null is written as JSON null
            s.put("prefix_length", src.prefixLength());
            s.put("deprecated", src.deprecated());
            s.put("home", src.home());
            s.put("interface", src.interfaceIndex());
            s.put("native", src.nativeTransport());
            s.put("failure", src.failure());
            n.put("scope", c.scope());
            n.put("source_scope", c.sourceScope());
            n.put("label", c.label());
            n.put("source_label", c.sourceLabel());
            n.put("precedence", c.precedence());
            n.put("matching_prefix", c.matchingPrefix());
        }
        steps(o.putArray("steps"), r.steps());
    }

    private static void steps(ArrayNode steps, List<AddressSelection.Step> list) {
        for (AddressSelection.Step s : list) {
            steps.addObject()
                    .put("first", s.first().destination().address())
                    .put("second", s.second().destination().address())
                    .put("rule", s.rule().number())
                    .put("rule_name", s.rule().description())
                    .put("values", s.values())
                    .put("agrees", s.agrees());
        }
    }

    private static String text(List<SockAddr> l) {
        return String.join(", ", l.stream().map(SockAddr::address).toList());
    }
}
