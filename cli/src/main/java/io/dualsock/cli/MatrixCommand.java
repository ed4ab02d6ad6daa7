package io.dualsock.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import io.dualsock.lab.Lab;
import io.dualsock.lab.LabException;
import io.dualsock.lab.NameSource;
import io.dualsock.lab.Prerequisites;
import io.dualsock.lab.Topology;
import io.dualsock.lab.TopologyJson;
import io.dualsock.lab.TopologyException;
import io.dualsock.cli.demo.Demo;
import io.dualsock.cli.demo.DemoText;
import io.dualsock.cli.matrix.HtmlReport;
import io.dualsock.cli.matrix.JsonReport;
import io.dualsock.cli.matrix.MarkdownReport;
import io.dualsock.cli.matrix.MatrixReport;
import io.dualsock.cli.matrix.MatrixRunner;
import io.dualsock.cli.matrix.SummaryReport;
import io.dualsock.cli.matrix.TextReport;
import io.dualsock.cli.matrix.Transport;
import io.dualsock.cli.matrix.Variant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dualsock matrix}: UNP Figure 12.5 measured on this machine's kernel and libc, in a lab
 * of network namespaces (see {@link Lab}).
 */
@Command(name = "matrix",
        mixinStandardHelpOptions = true,
        description = {
            "Measures the IPv4/IPv6 interoperability matrix (UNP Figure 12.5) with real servers and clients",
            "in network namespaces, and explains every cell that differs from the book.",
            "Needs root (network namespaces); without it, says what is missing."},
        footer = {"",
            "Exit status: 0 done and every cell's evidence consistent, 1 lab failure or inconsistent evidence,",
            "2 bad usage, 3 not enough privileges with --no-demo (otherwise the demo runs instead and its exit is 0)."})
public final class MatrixCommand extends CliCommand {

    @Option(names = "--proto", paramLabel = "tcp|udp|udp-unconnected|udp-connected|all", defaultValue = "all",
            description = "Transports (default: ${DEFAULT-VALUE}); udp means unconnected and connected UDP.")
    String proto;

    @Option(names = "--variant", paramLabel = "book|loop|all|unspec|happy|happy-nat64", split = ",",
            description = "IPv6 client variants, comma-separated or repeated (default: every variant but happy-nat64, "
                    + "the Connector with RFC 8305 §7 NAT64 synthesis).")
    List<String> variants = new ArrayList<>();

    @Option(names = "--topology", paramLabel = "FILE", description = "A topology file (format: docs/lab.md); default: Figure 12.5.")
    Path topologyFile;

    @Option(names = "--print-topology", description = "Print the built-in Figure 12.5 topology (with --nat64: the NAT64 one) "
            + "as a file to start from, and exit.")
    boolean printTopology;

    @Option(names = "--nat64", description = "The NAT64 rows instead of Figure 12.5: an IPv6-only client host behind the lab's NAT64 "
            + "gateway (TAYGA) against Figure 12.5's servers and the IPv4-only server by IPv4 literal (docs/nat64.md).")
    boolean nat64;

    @Option(names = "--resolver", paramLabel = "files|dns",
            description = "Where clients find names: per-host hosts files, or the lab's DNS server (dnsmasq). Default: files "
                    + "(dns with --nat64, whose client host asks the lab's DNS64).")
    String resolver;

    @Mixin
    MatrixOutputs outputs = new MatrixOutputs();

    @Mixin
    MatrixLabOptions labOptions = new MatrixLabOptions();

    @Option(names = "--udp-timeout", paramLabel = "MS", defaultValue = "500",
            description = "How long an unconnected UDP client waits for the echo (default: ${DEFAULT-VALUE} ms).")
    long udpTimeoutMs;

    @Option(names = {"-v", "--verbose"}, description = "Every variant's full table and every explanation, "
            + "instead of the summary (one folded table per transport, fits 120 columns).")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "No progress lines on stderr.")
    boolean quiet;

    @Option(names = "--clients", description = "The clients table instead: dualsock's connector, java.net.Socket, HttpClient, "
            + "OkHttp and Netty against a healthy, a blackholed, a late-AAAA and a ghost-AAAA dual-stack name and from "
            + "single-stack hosts (docs/happy-eyeballs.md). Takes --json, --markdown, --keep, --client-limit.")
    boolean clients;

    @Option(names = "--client-limit", paramLabel = "MS", defaultValue = "2000",
            description = "With --clients: every client's connect time limit (default: ${DEFAULT-VALUE} ms).")
    long clientLimitMs;

    @Option(names = "--no-java", description = "Leave out the Java rows and columns (JDK clients with default properties, "
            + "preferIPv6Addresses=true and preferIPv4Stack=true; JDK servers with default properties and preferIPv4Stack=true).")
    boolean noJava;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = out();
        if (nat64 && (topologyFile != null || clients)) throw usage("--nat64 is a topology of its own: not with --topology or --clients");
        if (printTopology) {
            out.print(nat64 ? io.dualsock.cli.matrix.Nat64Rows.json() : TopologyJson.figure125Json());
            out.flush();
            return ExitCodes.OK;
        }
        List<Transport> transports = transports(proto);
        List<Variant> vs = variants();
        if (nat64 && resolver != null && !resolver.equals("dns")) {
            throw usage("--nat64 needs --resolver dns: its client host asks the lab's DNS64 (Unbound) for names");
        }
        NameSource source = option("--resolver", () -> NameSource.parse(resolver == null ? (nat64 ? "dns" : "files") : resolver));
        if (udpTimeoutMs < 1 || udpTimeoutMs > 60_000) throw usage("--udp-timeout must be 1..60000 ms, got " + udpTimeoutMs);
        Topology topology = topology();
        List<String> missing = Prerequisites.missing(clients ? NameSource.DNS : source);
        if (!missing.isEmpty()) {
            String why = "the lab cannot run here: " + String.join("; ", missing);
            if (labOptions.noDemo) throw new CliException("NOT_PRIVILEGED", why, ExitCodes.NOT_PRIVILEGED);
            reportError("NOT_PRIVILEGED", why + "; running `dualsock demo` instead");
            err().println();
            err().flush();
            DemoText.print(Demo.run(), out);
            out.flush();
            return ExitCodes.OK;
        }
        PrintStream progress = quiet ? null : new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true,
                StandardCharsets.UTF_8);
        try {
            if (labOptions.cleanup) {
                boolean had = Lab.cleanupLeftovers(progress);
                out.println(had ? "removed what an earlier lab left" : "nothing to remove");
                return ExitCodes.OK;
            }
            if (clients) return clients(progress);
            return run(topology, source, transports, vs, progress);
        } catch (LabException e) {
            throw new CliException("LAB", e.getMessage(), ExitCodes.FAILURE, e);
        }
    }

    private int run(Topology topology, NameSource source, List<Transport> transports, List<Variant> vs, PrintStream progress)
            throws IOException {
        PrintWriter out = out();
        long t0 = System.nanoTime();
        Lab lab = Lab.builder(topology).nameSource(source).log(progress).start();
        MatrixReport report;
        boolean kept = false;
        try {
            MatrixRunner runner = new MatrixRunner(lab, new MatrixRunner.Options(Duration.ofMillis(udpTimeoutMs),
                    Duration.ofSeconds(3), Duration.ofSeconds(3)), progress);
            // The connector that synthesizes IPv4 literals (RFC 8305 §7) is given the gateway's prefix.
            if (topology.nat64() != null && topology.nat64().gateway()) runner.nat64Prefix(topology.nat64().prefix());
            report = runner.run(transports, vs, t -> {
                if (!noJava || !verbose) return;
                out.println(TextReport.table(t));
                out.flush();
            });
            if (!noJava) {
                // Each transport's first table gains the Java rows and columns (io.dualsock.cli.compare.JdkMatrix).
                report = io.dualsock.cli.compare.JdkMatrix.extend(lab, report,
                        io.dualsock.cli.compare.JdkMatrix.Options.defaults(Duration.ofMillis(udpTimeoutMs)), progress);
                if (verbose) for (io.dualsock.cli.matrix.MatrixReport.Table t : report.tables()) out.println(TextReport.table(t));
                out.flush();
            }
            kept = keepIfAsked(lab);
        } finally {
            if (!kept) lab.close();
        }
        report = report.withTiming((System.nanoTime() - t0) / 1_000_000);
        out.print(verbose ? TextReport.summary(report) + "\n" : SummaryReport.render(report));
        if (outputs.json != null) JsonReport.write(report, outputs.json);
        if (outputs.markdown != null) Files.writeString(outputs.markdown, MarkdownReport.render(report), StandardCharsets.UTF_8);
        if (outputs.html != null) HtmlReport.write(report, outputs.html);
        out.flush();
        if (!report.consistent()) {
            throw CliException.failure("INCONSISTENT", "some cells' evidence disagrees with itself (marked with '!' above)");
        }
        return ExitCodes.OK;
    }

    private int clients(PrintStream progress) throws IOException {
        if (clientLimitMs < 100 || clientLimitMs > 60_000) throw usage("--client-limit must be 100..60000 ms, got " + clientLimitMs);
        io.dualsock.cli.clients.ClientsTable.Options o = new io.dualsock.cli.clients.ClientsTable.Options(
                Duration.ofMillis(clientLimitMs), 250, Duration.ofSeconds(3));
        Lab lab = Lab.builder(io.dualsock.cli.clients.ClientsTable.topology()).nameSource(NameSource.DNS).log(progress).start();
        io.dualsock.cli.clients.ClientsReport r;
        boolean kept = false;
        try {
            r = io.dualsock.cli.clients.ClientsTable.run(lab, o, progress);
            kept = keepIfAsked(lab);
        } finally {
            if (!kept) lab.close();
        }
        io.dualsock.cli.clients.ClientsRun.write(out(), r, outputs.json, outputs.markdown);
        if (!r.consistent()) throw CliException.failure("INCONSISTENT", "some cells' evidence disagrees with itself (marked '!')");
        return ExitCodes.OK;
    }

    /** With --keep: leaves the lab up and prints how to enter each host; true when kept. */
    private boolean keepIfAsked(Lab lab) {
        if (!labOptions.keep) return false;
        PrintWriter out = out();
        List<String> cmds = lab.keep();
        out.println("The lab stays up. Enter a host with:");
        for (String c : cmds) out.println("  " + c);
        out.println("Remove it with: dualsock matrix --cleanup (the next dualsock matrix also does)");
        return true;
    }

    private List<Variant> variants() {
        Set<Variant> seen = new LinkedHashSet<>();
        for (String v : variants) seen.add(option("--variant", () -> Variant.parse(v.trim())));
        if (!seen.isEmpty()) return new ArrayList<>(seen);
        if (!nat64) return Variant.defaults();
        List<Variant> all = new ArrayList<>(Variant.defaults());
        all.add(Variant.HAPPY_NAT64); // the NAT64 rows' client for the IPv4-literal column
        return all;
    }

    private Topology topology() {
        if (nat64) return io.dualsock.cli.matrix.Nat64Rows.topology();
        if (topologyFile == null) return Topology.figure125();
        try {
            return TopologyJson.read(topologyFile);
        } catch (TopologyException e) {
            throw usage(e.getMessage());
        } catch (NoSuchFileException e) {
            throw usage("cannot read topology file " + topologyFile + ": no such file");
        } catch (IOException e) {
            throw usage("cannot read topology file " + topologyFile + ": " + e);
        }
    }

    /** An option value the lab's own parser refuses is a usage error. */
    private <T> T option(String name, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw usage(name + ": " + e.getMessage());
        }
    }

    private List<Transport> transports(String proto) {
        return switch (proto) {
            case "tcp" -> List.of(Transport.TCP);
            case "udp" -> List.of(Transport.UDP, Transport.UDP_CONNECTED);
            case "udp-unconnected" -> List.of(Transport.UDP);
            case "udp-connected" -> List.of(Transport.UDP_CONNECTED);
            case "all" -> List.of(Transport.TCP, Transport.UDP, Transport.UDP_CONNECTED);
            default -> throw usage("--proto: tcp, udp, udp-unconnected, udp-connected or all, not \"" + proto + "\"");
        };
    }
}
