package io.dualsock.lab;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A Java program to run in a lab host with {@link LabHost#runJava(java.time.Duration, JavaProgram)}:
 * a main class, its arguments, the class path it is loaded from, JVM options and environment
 * variables. Start from {@link #of(String, String...)} and change what differs:
 * {@code JavaProgram.of(MyServer.class.getName(), "8080").classPath(cp).jvmOptions("-Xmx512m")}.
 *
 * <p>Defaults: this JVM's {@code java.class.path}; no JVM options of its own, so the child gets
 * {@link JavaCommand}'s small-JVM flags ({@code -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx96m
 * -Xss512k -XX:-UsePerfData}, plus {@code --enable-native-access=ALL-UNNAMED}) and this JVM's
 * {@code dualsock.*} and {@code java.io.tmpdir} properties, and options given here come after
 * those, so {@code -Xmx512m} or {@code -XX:TieredStopAtLevel=4} overrides them; this process's
 * environment, with the variables given here added or replaced.
 *
 * @param mainClass the class whose {@code main} runs
 * @param args its arguments
 * @param classPath the child's class path ({@link File#pathSeparator}-separated)
 * @param jvmOptions JVM options after the defaults
 * @param environment variables added to (or replacing) this process's environment
 */
public record JavaProgram(String mainClass, List<String> args, String classPath, List<String> jvmOptions,
                          Map<String, String> environment) {
    /** Checks that nothing is null and copies the lists and the map. */
    public JavaProgram {
        Objects.requireNonNull(mainClass, "mainClass");
        Objects.requireNonNull(classPath, "classPath");
        args = List.copyOf(args);
        jvmOptions = List.copyOf(jvmOptions);
        environment = Map.copyOf(environment);
    }

    /** {@code mainClass} with these arguments, this JVM's class path, no further options or variables. */
    public static JavaProgram of(String mainClass, String... args) {
        String cp = System.getProperty("java.class.path");
        return new JavaProgram(mainClass, List.of(args), cp == null ? "" : cp, List.of(), Map.of());
    }

    /** This program loaded from another class path. */
    public JavaProgram classPath(String classPath) {
        return new JavaProgram(mainClass, args, classPath, jvmOptions, environment);
    }

    /** This program with {@code options} after the JVM options it has, e.g. {@code "-Xmx512m", "-Dkey=value"}. */
    public JavaProgram jvmOptions(String... options) {
        List<String> all = new ArrayList<>(jvmOptions);
        all.addAll(List.of(options));
        return new JavaProgram(mainClass, args, classPath, all, environment);
    }

    /** This program with the environment variable {@code name} set to {@code value} (added to the ones it has). */
    public JavaProgram environment(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(environment);
        all.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new JavaProgram(mainClass, args, classPath, jvmOptions, all);
    }

    /** The command line: {@code java <defaults> <jvmOptions> -cp <classPath> mainClass args...}. */
    public List<String> command(JavaCommand java) {
        return java.withJvmArgs(jvmOptions).command(classPath, mainClass, args);
    }

    /**
     * Checks that {@code mainClass} is found on the class path (in a directory, a jar, or a jar
     * named by a jar's {@code Class-Path} manifest entry, as {@code java -cp} finds it).
     *
     * @throws LabException naming the class and the class path when it is not there
     */
    public void requireLoadable() {
        if (loadable()) return;
        String[] entries = classPath.isEmpty() ? new String[0] : classPath.split(File.pathSeparator);
        throw new LabException("cannot run " + mainClass + " in a lab host: its class is not on the class path ("
                + entries.length + (entries.length == 1 ? " entry: " + entries[0] : " entries") + "). "
                + "The usual cause is Surefire with forkCount=0: the tests then run in Maven's own JVM, whose "
                + "java.class.path is Maven's launcher (or surefire's booter jar), not the test class path; "
                + "run with forkCount=1 (the default) or pass the class path with JavaProgram.classPath(...)");
    }

    /**
     * Checks that the lab's own {@link Agent} loads from the class path the lab gives its agents
     * (this JVM's {@code java.class.path}), before a lab makes anything.
     *
     * @throws LabException naming the class, that class path, and the {@code forkCount=0} case
     */
    static void requireAgentLoadable(String classPath) {
        if (of(Agent.class.getName()).classPath(classPath).loadable()) return;
        throw new LabException("the lab cannot start its agents: " + Agent.class.getName() + " is not on the class path "
                + "the lab gives them, this JVM's java.class.path = \"" + classPath + "\". The usual cause is Surefire or "
                + "Failsafe with forkCount=0: the tests then run in Maven's own JVM, whose java.class.path is Maven's "
                + "launcher (plexus-classworlds), not the test class path. Run the lab tests in a forked JVM "
                + "(forkCount=1, the default), or start the JVM with the dualsock-lab jar and its dependencies on -cp");
    }

    /** Whether {@code mainClass} is found on the class path (see {@link #requireLoadable}). */
    boolean loadable() {
        String resource = mainClass.replace('.', '/') + ".class";
        List<URL> urls = new ArrayList<>();
        for (String e : classPath.split(File.pathSeparator)) {
            if (e.isEmpty()) continue;
            try {
                if (e.endsWith("*")) {
                    try (Stream<Path> jars = Files.list(Path.of(e.substring(0, e.length() - 1)))) {
                        for (Path j : jars.filter(p -> p.toString().endsWith(".jar")).toList()) urls.add(j.toUri().toURL());
                    } catch (IOException ignored) {
                        // a missing directory holds no class; java ignores it too
                    }
                } else {
                    urls.add(Path.of(e).toUri().toURL());
                }
            } catch (MalformedURLException | UncheckedIOException | java.nio.file.InvalidPathException ignored) {
                // not a path java could read either
            }
        }
        boolean found = false;
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), null)) {
            found = loader.findResource(resource) != null;
        } catch (IOException ignored) {
            // closing a loader over jars; the answer was found or not before that
        }
        return found;
    }
}
