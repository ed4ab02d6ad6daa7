package io.dualsock.testsupport;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of a child JVM that runs a test's helper class on the test class path. */
public final class ChildJvm {
    private ChildJvm() {}

    /**
     * {@code java -Ddualsock.*=.. -cp <test class path> main}: this JVM's java, its native-access
     * options (on Java 24+ the child would otherwise print warnings into the output the test
     * reads), its {@code dualsock.*} system properties, and surefire's class path.
     * The list is mutable, for a caller that wraps or extends it.
     */
    public static List<String> command(Class<?> main) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--enable-native-access") || a.startsWith("--sun-misc-unsafe-memory-access")) cmd.add(a);
        }
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith("dualsock.")) cmd.add("-D" + k + "=" + System.getProperty(k));
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        cmd.add(main.getName());
        return cmd;
    }
}
