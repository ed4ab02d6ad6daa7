package io.dualsock.cli;

import io.dualsock.cli.output.Json;
import java.time.Duration;

import io.dualsock.cli.demo.Demo;
import io.dualsock.cli.demo.DemoJson;
import io.dualsock.cli.demo.DemoReport;
import io.dualsock.cli.demo.DemoText;
import io.dualsock.cli.demo.PktinfoFacts;
import io.dualsock.cli.demo.PktinfoReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dualsock demo}: UNP §12.2 and §12.3 on loopback, in this process; see {@link Demo}. */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Show, on loopback and in this one process, what the kernel does with IPv4-mapped addresses (UNP §12.2, §12.3).",
            "Scenarios, each over TCP and UDP: (1) an AF_INET client to an AF_INET6 server on :: with IPV6_V6ONLY=0, "
                + "which sees the client as ::ffff:127.0.0.1; (2) an AF_INET6 client with getaddrinfo(\"127.0.0.1\", "
                + "AF_INET6, AI_V4MAPPED), which connects to ::ffff:127.0.0.1, to an AF_INET server on 0.0.0.0, which "
                + "sees 127.0.0.1; (3) the IPv4 client to an AF_INET6 server with IPV6_V6ONLY=1; (4) an AF_INET socket "
                + "given ::ffff:127.0.0.1, refused by dualsock and then, through the raw shim, by the kernel; (5) an "
                + "IPv4 and an IPv6 datagram to an AF_INET6 socket on :: with IP_PKTINFO, IPV6_RECVPKTINFO and both: "
                + "which destination-address control messages recvmsg delivers and what each holds.",
            "Every line is what a system call or getaddrinfo returned; each attempt is followed by a 'seen' line "
                + "explaining it. Ports are ephemeral; no privileges or namespaces are needed.",
            "",
            "Exit status: 0 when the report was made (whatever it shows), 1 when the native library does not load, "
                + "2 bad usage."})
final class DemoCommand extends CliCommand {

    @Option(names = "--json", description = "Print the report as one JSON object.")
    boolean json;

    @Option(names = "--reply-timeout", paramLabel = "MS",
            description = "How long to wait for a datagram or reply that may never come (default 300).")
    long replyTimeoutMs = Demo.Options.defaults().replyTimeout().toMillis();

    @Override
    public Integer call() {
        if (replyTimeoutMs < 1 || replyTimeoutMs > Integer.MAX_VALUE) {
            throw usage("--reply-timeout must be 1 .. " + Integer.MAX_VALUE + " ms, got " + replyTimeoutMs);
        }
        Demo.Options d = Demo.Options.defaults();
        DemoReport r = Demo.run(new Demo.Options(Duration.ofMillis(replyTimeoutMs), d.connectTimeout(), d.message()));
        PktinfoFacts p = PktinfoFacts.measure((int) replyTimeoutMs);
        if (json) {
            var o = DemoJson.toJson(r);
            o.set("dual_stack_pktinfo", PktinfoReport.json(p));
            Json.writePretty(out(), o);
        } else {
            DemoText.print(r, out());
            PktinfoReport.print(p, out());
        }
        return ExitCodes.OK;
    }
}
