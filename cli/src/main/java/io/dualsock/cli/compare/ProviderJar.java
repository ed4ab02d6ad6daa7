package io.dualsock.cli.compare;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the {@code dualsock-resolver-provider} jar is, for the JVMs of the "dualsock's resolver"
 * setting (the jar goes on their class path only: this JVM and the other children keep the JDK's
 * resolver). {@code -Ddualsock.resolver.jar=FILE}, else {@code resolver-provider/target/} of the
 * checkout this code runs from ({@code cli/target/dualsock.jar} or {@code cli/target/classes}).
 */
final class ProviderJar {
    private ProviderJar() {}

    static final String PROPERTY = "dualsock.resolver.jar";

    private static volatile Optional<Path> found;

    /** The jar, or empty when it is not built (the setting then says why it is left out). */
    static Optional<Path> find() {
        Optional<Path> f = found;
        if (f == null) found = f = locate();
        return f;
    }

    /** Why the setting cannot run, or null. */
    static String missingReason() {
        return find().isPresent() ? null : "no dualsock-resolver-provider jar (-D" + PROPERTY + "=FILE, or build it: "
                + "mvn -B -q -DskipTests package -pl resolver-provider -am, which needs a JDK 18+)";
    }

    private static Optional<Path> locate() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) return Files.isRegularFile(Path.of(p)) ? Optional.of(Path.of(p)) : Optional.empty();
        try {
            Path here = Path.of(ProviderJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // cli/target/classes or cli/target/dualsock.jar: the checkout is three levels up from the first
            for (Path d = here.getParent(); d != null; d = d.getParent()) {
                Path target = d.resolve("resolver-provider").resolve("target");
                if (!Files.isDirectory(target)) continue;
                try (Stream<Path> s = Files.list(target)) {
                    return s.filter(f -> f.getFileName().toString().matches("dualsock-resolver-provider-[^-]+(-SNAPSHOT)?\\.jar"))
                            .filter(ProviderJar::hasProvider).findFirst();
                }
            }
        } catch (URISyntaxException | IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Built without a JDK 18+, the jar is empty. */
    private static boolean hasProvider(Path jar) {
        try (java.util.jar.JarFile j = new java.util.jar.JarFile(jar.toFile())) {
            return j.getEntry("META-INF/services/java.net.spi.InetAddressResolverProvider") != null;
        } catch (IOException e) {
            return false;
        }
    }
}
