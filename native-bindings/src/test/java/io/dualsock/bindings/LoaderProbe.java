package io.dualsock.bindings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Child-JVM side of {@link LoaderHardeningTest}: loads the shim once in a fresh JVM and prints
 * what happened, one fact per line ({@code KEY value}), for the parent test to check.
 *
 * <p>With {@code observe}, the loader's {@code beforeWrite} hook shows the private directory
 * before the loader deletes it again: just before the loader writes the library file, the probe
 * records the directory's permissions and, with
 * {@code plant=VICTIM}, plants a symlink to VICTIM at exactly that name (the first time only),
 * as an attacker racing into the directory would.
 *
 * <p>Usage: {@code LoaderProbe [observe] [plant=VICTIM]}
 */
public final class LoaderProbe {
    private LoaderProbe() {}

    static final List<String> events = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        boolean observe = false;
        Path victim = null;
        for (String a : args) {
            if (a.equals("observe")) observe = true;
            else if (a.startsWith("plant=")) victim = Paths.get(a.substring(6));
        }
        if (observe) install(victim);
        try {
            Shim shim = Native.shim();
            System.out.println("ABI " + shim.ds_abi_version());
            System.out.println("SOURCE " + Native.librarySource());
            System.out.println("PATH " + Native.libraryPath());
            if (List.of(args).contains("address")) {
                System.out.println("ADDRESS " + Native.address(java.nio.ByteBuffer.allocateDirect(8)));
            }
            System.out.println("EXISTS " + Files.exists(Paths.get(Native.libraryPath()), LinkOption.NOFOLLOW_LINKS));
            for (String line : Files.readAllLines(Paths.get("/proc/self/maps"))) {
                if (line.contains("libdualsock")) {
                    System.out.println("MAPS " + line.replaceAll("^.*? (/)", "$1"));
                    break;
                }
            }
        } catch (UnsatisfiedLinkError e) {
            System.out.println("ERROR " + e.getMessage().replace('\n', '|'));
            System.out.println("CAUSES " + (e.getCause() == null ? 0 : 1 + e.getSuppressed().length));
            try {
                Native.shim();
            } catch (Throwable again) {
                System.out.println("AGAIN " + again.getClass().getSimpleName() + (again == e ? " (the same)" : ""));
            }
        }
        synchronized (events) {
            for (String e : events) System.out.println(e);
        }
        System.out.flush();
    }

    private static void install(Path victim) {
        boolean[] planted = {false};
        NativeLoader.beforeWrite = file -> {
            try {
                Path dir = file.getParent();
                synchronized (events) {
                    events.add("WRITE " + file);
                    events.add("DIRPERM " + PosixFilePermissions.toString(Files.getPosixFilePermissions(dir,
                            LinkOption.NOFOLLOW_LINKS)));
                    events.add("DIROWNER " + Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName());
                    events.add("PREEXISTING " + Files.exists(file, LinkOption.NOFOLLOW_LINKS));
                }
                if (victim != null && !planted[0] && !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    planted[0] = true; // once: the loader should then go on to its next directory
                    Files.createSymbolicLink(file, victim);
                    synchronized (events) {
                        events.add("PLANTED " + file + " -> " + victim);
                    }
                }
            } catch (IOException e) {
                synchronized (events) {
                    events.add("PROBE-ERROR " + e);
                }
            }
        };
    }
}
