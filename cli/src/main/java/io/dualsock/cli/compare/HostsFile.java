package io.dualsock.cli.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An {@code /etc/hosts}-format file, read the way glibc's files service reads it: one address
 * then names per line, {@code #} starts a comment, names compare case-insensitively.
 */
record HostsFile(List<Line> lines) {

    /** One entry: an address and the names given for it. */
    record Line(String address, List<String> names) {
        boolean isIpv4() {
            return address.indexOf(':') < 0;
        }
    }

    static HostsFile read(Path p) {
        try {
            return parse(Files.readString(p));
        } catch (IOException e) {
            return new HostsFile(List.of());
        }
    }

    static HostsFile parse(String text) {
        List<Line> out = new ArrayList<>();
        for (String raw : text.split("\n")) {
            int hash = raw.indexOf('#');
            String l = (hash >= 0 ? raw.substring(0, hash) : raw).trim();
            if (l.isEmpty()) continue;
            String[] f = l.split("\\s+");
            if (f.length < 2) continue;
            List<String> names = new ArrayList<>();
            for (int i = 1; i < f.length; i++) names.add(f[i].toLowerCase(Locale.ROOT));
            out.add(new Line(f[0], names));
        }
        return new HostsFile(out);
    }

    /** The lines that give this name. */
    List<Line> linesFor(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return lines.stream().filter(l -> l.names().contains(n)).toList();
    }
}
