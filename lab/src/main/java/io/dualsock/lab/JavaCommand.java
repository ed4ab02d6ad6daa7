package io.dualsock.lab;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The command line of a child JVM that runs a main class of this JVM's class path: the lab's
 * {@link Agent}, a program in a lab host ({@link LabHost#runJava}), the JDK probes of
 * {@code dualsock compare}. One place decides the flags every such JVM gets, so the children
 * differ only in the JDK and the {@code -D} settings they are asked to run with.
 *
 * @param java the {@code java} executable
 * @param feature its feature release (17 for 17.0.15), for options only some releases know
 * @param jvmArgs further JVM options, e.g. {@code -Djava.net.preferIPv4Stack=true}
 */
public record JavaCommand(Path java, int feature, List<String> jvmArgs) {
    public JavaCommand {
        Objects.requireNonNull(java, "java");
        jvmArgs = List.copyOf(jvmArgs);
    }

    /** The JVM running this code, without further options. */
    public static JavaCommand current() {
        return of(Path.of(System.getProperty("java.home"), "bin", "java"), Runtime.version().feature());
    }

    /** Another JDK's {@code bin/java}, without further options. */
    public static JavaCommand of(Path java, int feature) {
        return new JavaCommand(java, feature, List.of());
    }

    /** This command with {@code more} JVM options after the ones it has. */
    public JavaCommand withJvmArgs(List<String> more) {
        List<String> all = new ArrayList<>(jvmArgs);
        all.addAll(more);
        return new JavaCommand(java, feature, all);
    }

    /**
     * {@code java <flags> <-D options of this JVM> <jvmArgs> -cp <this class path> mainClass args...};
     * a {@code -cp X} among jvmArgs is put in front of the class path.
     * The children are small and start fast (C1 only, serial GC, a 96 MB heap): several run per
     * core and none does much work.
     */
    public List<String> command(String mainClass, List<String> args) {
        return command(System.getProperty("java.class.path"), mainClass, args);
    }

    /**
     * {@link #command(String, List)} with another class path, e.g. this one plus jars that only
     * the child needs (the clients table's peer HTTP and Netty clients, which no library of
     * dualsock carries).
     */
    public List<String> command(String classPath, String mainClass, List<String> args) {
        Objects.requireNonNull(classPath, "classPath");
        Objects.requireNonNull(mainClass, "mainClass");
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        // jnr-ffi's JNI stub makes Java 24+ warn without it; the flag exists since 17.
        if (feature >= 17) cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx96m", "-Xss512k", "-XX:-UsePerfData"));
        cmd.addAll(propertyArgs());
        // A "-cp X" among jvmArgs goes in front of this JVM's class path: a jar that only some
        // children get (the resolver provider of the "dualsock's resolver" JDK setting).
        String cp = classPath;
        for (int i = 0; i < jvmArgs.size(); i++) {
            String a = jvmArgs.get(i);
            if ((a.equals("-cp") || a.equals("-classpath") || a.equals("--class-path")) && i + 1 < jvmArgs.size()) {
                cp = jvmArgs.get(++i) + File.pathSeparator + cp;
            } else {
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(cp);
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /**
     * The {@code -D} options that give a child the same shim and scratch directories as this
     * JVM: every {@code dualsock.*} system property, and {@code java.io.tmpdir}.
     */
    static List<String> propertyArgs() {
        List<String> args = new ArrayList<>();
        for (String k : new java.util.TreeSet<>(System.getProperties().stringPropertyNames())) {
            if (k.startsWith("dualsock.")) args.add("-D" + k + "=" + System.getProperty(k));
        }
        String tmp = System.getProperty("java.io.tmpdir");
        if (tmp != null) args.add("-Djava.io.tmpdir=" + tmp);
        return args;
    }
}
