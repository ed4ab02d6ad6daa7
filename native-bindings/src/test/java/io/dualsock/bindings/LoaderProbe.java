package io.dualsock.bindings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Permission;
import java.util.ArrayList;
import java.util.List;

/**
 * Child-JVM side of {@link LoaderHardeningTest}: loads the shim once in a fresh JVM and prints
 * what happened, one fact per line ({@code KEY value}), for the parent test to check.
 *
 * <p>With {@code observe} (Java 17..23 only: JEP 486 removed the security manager in 24), a
 * security manager that permits everything watches the loader's file accesses, which is the
 * only way to see the private directory before the loader deletes it again: when the loader
 * opens the library file for writing, the probe records the directory's permissions and, with
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

    @SuppressWarnings({"removal", "deprecation"})
    private static void install(Path victim) {
        SecurityManager sm = new SecurityManager() {
            private boolean busy;
            private boolean planted;

            @Override
            public void checkPermission(Permission perm) {
                if (!(perm instanceof java.io.FilePermission) || busy) return;
                String name = perm.getName();
                String actions = perm.getActions();
                if (!name.contains("libdualsock-") || !actions.contains("write")) return;
                busy = true;
                try {
                    Path file = Paths.get(name);
                    Path dir = file.getParent();
                    synchronized (events) {
                        events.add("WRITE " + file);
                        events.add("DIRPERM " + PosixFilePermissions.toString(Files.getPosixFilePermissions(dir,
                                LinkOption.NOFOLLOW_LINKS)));
                        events.add("DIROWNER " + Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName());
                        events.add("PREEXISTING " + Files.exists(file, LinkOption.NOFOLLOW_LINKS));
                    }
                    if (victim != null && !planted && !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                        planted = true; // once: the loader should then go on to its next directory
                        Files.createSymbolicLink(file, victim);
                        synchronized (events) {
                            events.add("PLANTED " + file + " -> " + victim);
                        }
                    }
                } catch (IOException e) {
                    synchronized (events) {
                        events.add("PROBE-ERROR " + e);
                    }
                } finally {
                    busy = false;
                }
            }

            @Override
            public void checkPermission(Permission perm, Object context) {
                checkPermission(perm);
            }
        };
        System.setSecurityManager(sm);
    }
}
