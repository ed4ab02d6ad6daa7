package io.dualsock.cli.matrix;

import java.util.ArrayList;
import java.util.List;

import io.dualsock.AddressSelection;
import io.dualsock.SelectionPolicy;
import io.dualsock.SockAddr;
import io.dualsock.cli.output.OrderText;
import io.dualsock.lab.LabHost;
import io.dualsock.lab.Lookup;
import io.dualsock.lab.Topology;

/**
 * The sentence that says which rule of glibc's destination address selection put a looping
 * client's first address before its second: {@link AddressSelection} replayed on the addresses
 * getaddrinfo returned, with each source found in the client host's own network namespace and
 * the host's {@code gai.conf} from the topology.
 */
final class OrderNote {
    private OrderNote() {}

    /** "libc put A before B by rule 6 (prefer higher precedence): precedence 40 vs 10", or why it could not be said. */
    static String firstPair(Topology topo, LabHost client, Topology.Client c, Lookup lookup) {
        List<SockAddr> dst = new ArrayList<>();
        for (Lookup.Resolved r : lookup.addresses()) dst.add(SockAddr.parse(r.address(), r.port()));
        String conf = topo.host(c.host()).gaiConf();
        SelectionPolicy.GaiConf gai = SelectionPolicy.parseGaiConf(conf == null ? "" : conf, SelectionPolicy.glibc());
        AddressSelection.Result r;
        try {
            r = client.inNetwork(() -> AddressSelection.sort(dst, AddressSelection.sources(dst), gai.policy()));
        } catch (Exception e) {
            return "Why libc put " + dst.get(0).address() + " first could not be worked out in " + c.host() + ": " + e.getMessage();
        }
        return OrderText.sentence(r.explain(r.input().get(0), r.input().get(1)));
    }
}
