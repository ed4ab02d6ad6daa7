package io.dualsock.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * dnsmasq (or, when the topology delays answers, {@link DnsResponder}) serving the topology's
 * A and AAAA records from the lab's namespace {@code ds-<lab id>-dns}
 * ({@value Topology#DNS4} and {@value Topology#DNS6}), with no upstream server: a query for
 * any other name is refused, never forwarded (and no route leaves the lab anyway). Its query
 * log is kept for the report.
 */
final class DnsServer extends DaemonProcess {
    static final String HOST = "dns";
    private static final int LOG_LINES = 2000;

    private volatile int queries;

    private DnsServer(List<String> cmd, String what, String ready, LabState state) {
        super(cmd, what, ready, LOG_LINES, state);
    }

    @Override
    void onLine(String line) {
        if (line.contains(" query[")) queries++;
    }

    static DnsServer start(Topology t, LabState state) {
        List<String> cmd = new ArrayList<>(List.of(Netns.IP, "netns", "exec", state.names().namespace(HOST)));
        // dnsmasq answers at once; delayed answers need the lab's own responder
        if (t.dnsDelays().isEmpty()) cmd.addAll(NameFiles.dnsmasqArgs(t));
        else cmd.addAll(JavaCommand.current().command(DnsResponder.class.getName(), List.of(TopologyJson.toJson(t).toString())));
        // dnsmasq logs "started" after it has bound its sockets.
        return launch(cmd, "dnsmasq", "started, version", state);
    }

    /**
     * Starts a DNS server process ({@code cmd} begins with {@code ip netns exec NS}), records it
     * before waiting, and returns once a line of its output contains {@code ready}.
     */
    static DnsServer launch(List<String> cmd, String what, String ready, LabState state) {
        return new DnsServer(cmd, what, ready, state);
    }

    int queries() {
        return queries;
    }
}
