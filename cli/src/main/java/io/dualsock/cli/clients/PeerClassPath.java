package io.dualsock.cli.clients;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.dualsock.lab.LabException;

/**
 * The class path of the clients table's {@code PeerAgent}: this JVM's, plus the OkHttp and
 * Netty jars when this JVM does not have them. The cli declares those libraries {@code provided}:
 * they are compiled against, on the test class path, and copied by the build into
 * {@code peers/} beside the cli's classes or {@code dualsock.jar} ({@code cli/target/peers}),
 * but never shaded into {@code dualsock.jar} and never a dependency of the API or the lab, so
 * no user of dualsock gets them.
 */
final class PeerClassPath {
    private PeerClassPath() {}

    static String get() {
        String own = System.getProperty("java.class.path");
        if (loadable("okhttp3.OkHttpClient") && loadable("io.netty.bootstrap.Bootstrap")) return own;
        Path peers = peersDirectory();
        List<String> jars = new ArrayList<>();
        try (Stream<Path> s = Files.list(peers)) {
            s.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> jars.add(p.toString()));
        } catch (IOException e) {
            throw new LabException("the clients table needs the OkHttp and Netty jars in " + peers
                    + " (made by `mvn package` in cli/): " + e.getMessage(), e);
        }
        if (jars.isEmpty()) throw new LabException("no jar in " + peers + " (made by `mvn package` in cli/)");
        return own + java.io.File.pathSeparator + String.join(java.io.File.pathSeparator, jars);
    }

    /** {@code peers/} beside the directory or jar this class was loaded from. */
    static Path peersDirectory() {
        try {
            Path where = Path.of(PeerClassPath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return where.getParent().resolve("peers");
        } catch (URISyntaxException | RuntimeException e) {
            throw new LabException("cannot tell where the cli's classes are: " + e, e);
        }
    }

    private static boolean loadable(String name) {
        try {
            Class.forName(name, false, PeerClassPath.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
