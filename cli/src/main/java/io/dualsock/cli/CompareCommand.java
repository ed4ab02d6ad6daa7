package io.dualsock.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import io.dualsock.cli.compare.CompareOptions;
import io.dualsock.cli.compare.CompareReport;
import io.dualsock.cli.compare.Comparison;
import io.dualsock.cli.compare.Jdk;
import io.dualsock.cli.compare.JdkSetting;
import io.dualsock.cli.compare.ProbeLauncher;
import io.dualsock.cli.compare.ReportWriter;
import io.dualsock.cli.compare.RootSafety;
import io.dualsock.cli.compare.Sandbox;
import io.dualsock.lab.Stack;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code dualsock compare HOST [SERVICE]}: the same name put to the JDK's
 * {@code InetAddress.getAllByName} (one child JVM per JDK and property setting) and to libc's
 * {@code getaddrinfo} (eight ways), the same socket questions put to JDK sockets and to the
 * kernel, and every difference with its explanation.
 */
@Command(name = "compare",
        mixinStandardHelpOptions = true,
        description = {
            "Compares the JDK with libc for one host: InetAddress.getAllByName under preferIPv6Addresses=false|true|system "
                    + "and preferIPv4Stack=true (each in its own JVM, on every JDK given) against getaddrinfo with AF_UNSPEC, "
                    + "AF_INET, AF_INET6+AI_V4MAPPED and AF_INET6+AI_V4MAPPED|AI_ALL, with and without AI_ADDRCONFIG; "
                    + "then JDK sockets against the kernel on loopback.",
            "In this namespace only numeric literals and names /etc/hosts lists are looked up (anything else would "
                    + "query DNS off the machine); --lab looks HOST up in a throw-away lab namespace instead, whose "
                    + "names are: " + "ds-dual.lab, ds-v4.lab, ds-v6.lab, ds-mapped.lab, ds-dup.lab, and "
                    + Sandbox.IDN_NAME + " (listed as xn--bcher-kva.lab; a non-ASCII lab name is also asked with AI_IDN "
                    + "under LANG=C and LANG=C.UTF-8).",
            "--report runs the documented full set (" + ReportWriter.REGENERATE + ")."},
        footer = {"", "Exit status: 0 success, 1 a probe or the lab failed, 2 bad usage."})
public final class CompareCommand extends CliCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "HOST", description = "Name or numeric address.")
    String host;

    @Parameters(index = "1", arity = "0..1", paramLabel = "SERVICE", description = "Service for the libc side (port in its answers).")
    String service;

    @Option(names = "--report", description = "The full comparison of docs/jdk-vs-libc.md: localhost, 127.0.0.1, ::1, "
            + "::ffff:127.0.0.1, 127.1, every lab name, sockets and the cache demonstration.")
    boolean report;

    @Option(names = "--lab", description = "Look HOST up inside a lab namespace (needs root).")
    boolean lab;

    @Option(names = "--lab-stack", paramLabel = "STACK", description = "The lab host's addresses: ${COMPLETION-CANDIDATES} "
            + "(default: ${DEFAULT-VALUE}); AI_ADDRCONFIG follows them.", defaultValue = "IPV4",
            converter = LabStack.class, completionCandidates = LabStack.class)
    Stack labStack;

    /** The spellings --lab-stack has always taken, read as the lab's {@link Stack} (which also takes its own). */
    static final class LabStack implements ITypeConverter<Stack>, Iterable<String> {
        @Override
        public Stack convert(String value) {
            try {
                return Stack.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected one of [DUAL, IPV4, IPV6] but was '" + value + "'");
            }
        }

        @Override
        public Iterator<String> iterator() {
            return List.of("DUAL", "IPV4", "IPV6").iterator();
        }
    }

    @Option(names = "--jdk", paramLabel = "JAVA_HOME", description = "A JDK to compare (repeatable). Default: this JVM and "
            + "Temurin 25 (/usr/lib/jvm/temurin-25-jdk-amd64, or $DS_JAVA25) when installed.")
    List<Path> jdkHomes = new ArrayList<>();

    @Option(names = "--setting", paramLabel = "SETTING", description = "JDK setting(s) to run (repeatable): ${COMPLETION-CANDIDATES}. Default: all.")
    List<JdkSetting> settings = new ArrayList<>();

    @Option(names = "--no-sockets", description = "Skip the socket comparison.")
    boolean noSockets;

    @Option(names = "--cache-demo", description = "Also run the cache demonstration in a lab namespace (needs root).")
    boolean cacheDemo;

    @ArgGroup(exclusive = true)
    Format format = new Format();

    static final class Format {
        @Option(names = "--json", description = "JSON output.")
        boolean json;

        @Option(names = "--markdown", description = "Markdown output (the format of docs/jdk-vs-libc.md).")
        boolean markdown;
    }

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "2", description = "Child JVMs at a time (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Override
    public Integer call() throws IOException {
        if (parallel < 1) throw usage("--parallel must be at least 1");
        List<Jdk> jdks = new ArrayList<>();
        try {
            for (Path p : jdkHomes) jdks.add(Jdk.at(p));
        } catch (IllegalArgumentException e) {
            throw usage("--jdk: " + e.getMessage());
        }
        if (jdks.isEmpty()) jdks = Jdk.defaults();
        List<JdkSetting> chosen = settings.isEmpty() ? List.of(JdkSetting.values()) : settings;
        List<String> args = new ArrayList<>(spec.commandLine().getParseResult() == null ? List.of()
                : spec.commandLine().getParseResult().originalArgs());
        // Run under a root command, the arguments start with the subcommand's own name.
        if (!args.isEmpty() && args.get(0).equals(spec.name())) args.remove(0);
        String command = String.join(" ", java.util.stream.Stream.concat(java.util.stream.Stream.of("dualsock", "compare"),
                args.stream()).toList());

        CompareOptions o;
        if (report) {
            if (host != null) throw usage("--report takes no HOST");
            CompareOptions d = CompareOptions.report(command);
            o = new CompareOptions(d.rootHosts(), d.labHosts(), null, jdks, chosen, chosen, !noSockets, true, labStack, parallel,
                    command, d.idnNames());
        } else {
            if (host == null) throw usage("missing HOST (or --report)");
            if (!lab) {
                String why = RootSafety.refusal(host);
                if (why != null) throw usage(why);
            } else if (Sandbox.unavailableReason() != null) {
                throw CliException.failure("LAB", Sandbox.unavailableReason());
            }
            // A non-ASCII lab name also gets the AI_IDN comparison under LANG=C and C.UTF-8.
            List<String> idn = lab && CompareOptions.internationalised(host) ? List.of(host) : List.of();
            o = new CompareOptions(lab ? List.of() : List.of(host), lab ? List.of(host) : List.of(), service, jdks, chosen,
                    chosen, !noSockets, cacheDemo, labStack, parallel, command, idn);
        }

        CompareReport r;
        try {
            r = Comparison.run(o);
        } catch (ProbeLauncher.ProbeException | IllegalStateException e) {
            throw new CliException("PROBE", e.getMessage(), ExitCodes.FAILURE, e);
        }
        String text = format.json ? ReportWriter.json(r) : format.markdown ? ReportWriter.markdown(r) : ReportWriter.text(r);
        if (output != null) {
            Files.writeString(output, text, StandardCharsets.UTF_8);
            err().println("dualsock compare: wrote " + output);
        } else {
            out().print(text);
            out().flush();
        }
        return ExitCodes.OK;
    }
}
