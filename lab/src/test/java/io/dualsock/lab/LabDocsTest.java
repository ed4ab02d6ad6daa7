package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.File;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * docs/lab.md cannot rot: every public type, constructor, method and constant of
 * {@code io.dualsock.lab} is listed in its reference section, and every java block in it
 * compiles; the blocks marked {@code run} are run (those marked {@code root} too, where the
 * lab can run: {@link LabExtension#assumeLabCanRun}'s skip-or-fail rule).
 *
 * <p>Fences: {@code ```java} statements (compiled in a method with {@code Lab lab},
 * {@code LabHost a} and {@code LabHost b} in scope), {@code ```java members} class members,
 * {@code ```java file} a whole type of its own, {@code ```java run} statements that are run,
 * {@code ```java run root} statements that build a lab, {@code ```java file test root} a JUnit
 * class that the JUnit launcher runs. Every block gets the same imports (see {@link #IMPORTS})
 * and the package {@code labdocs}; they are compiled into this module's test-classes directory,
 * so that a program in one block is on the class path a lab host's {@code runJava} uses.
 */
class LabDocsTest {

    static final String IMPORTS = """
            import io.dualsock.*;
            import io.dualsock.lab.*;
            import java.io.*;
            import java.nio.file.*;
            import java.time.*;
            import java.util.*;
            import java.util.concurrent.*;
            import java.util.function.*;
            import java.util.regex.Pattern;
            import org.junit.jupiter.api.*;
            import org.junit.jupiter.api.extension.*;
            import com.fasterxml.jackson.databind.JsonNode;
            import com.fasterxml.jackson.databind.node.ObjectNode;
            import static org.junit.jupiter.api.Assertions.*;
            import static io.dualsock.lab.LabAssertions.assertThat;
            """;

    @Test
    void everyPublicTypeAndMemberIsInTheReference() throws Exception {
        List<String> lines = LabDocs.lines();
        Map<String, String> sections = LabDocs.typeSections(lines);
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Class<?>> t : LabDocs.publicTypes().entrySet()) {
            String section = sections.get(t.getKey());
            if (section == null) {
                missing.add("type " + t.getKey() + " (no ### `" + t.getKey() + "` heading under " + LabDocs.REFERENCE + ")");
                continue;
            }
            Set<String> written = LabDocs.signatures(section);
            for (String s : LabDocs.requiredSignatures(t.getValue())) {
                if (!written.contains(s)) missing.add(t.getKey() + "." + s);
            }
            for (String f : LabDocs.requiredFields(t.getValue())) {
                if (!Pattern.compile("\\b" + f + "\\b").matcher(section).find()) missing.add(t.getKey() + "." + f + " (a constant)");
            }
        }
        assertTrue(missing.isEmpty(), "not documented in docs/lab.md's reference (" + missing.size() + "):\n  "
                + String.join("\n  ", missing));
    }

    @Test
    void theReferenceNamesNoTypeThatIsGone() throws Exception {
        Set<String> types = LabDocs.publicTypes().keySet();
        List<String> stale = new ArrayList<>();
        for (String t : LabDocs.typeSections(LabDocs.lines()).keySet()) if (!types.contains(t)) stale.add(t);
        assertTrue(stale.isEmpty(), "headings for types that are not public in io.dualsock.lab: " + stale);
    }

    @TestFactory
    Stream<DynamicTest> theSnippetsCompileAndTheRunnableOnesRun() throws Exception {
        List<LabDocs.Snippet> snippets = LabDocs.snippets(LabDocs.lines());
        assertTrue(snippets.size() > 10, "found only " + snippets.size() + " java blocks in docs/lab.md");
        String errors = compile(snippets);
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("every java block of docs/lab.md compiles (" + snippets.size() + ")",
                () -> assertEquals("", errors)));
        for (LabDocs.Snippet s : snippets) {
            if (!s.is("run") && !s.is("test")) continue;
            tests.add(DynamicTest.dynamicTest("docs/lab.md line " + s.line() + (s.is("root") ? " (lab)" : ""), () -> {
                if (!errors.isEmpty()) fail("docs/lab.md's java blocks do not compile (the first test lists why)");
                if (s.is("root")) LabExtension.assumeLabCanRun(NameSource.FILES);
                if (s.is("test")) runJUnit(s);
                else run(s);
            }));
        }
        return tests.stream();
    }

    private static void run(LabDocs.Snippet s) throws Throwable {
        Class<?> c = Class.forName("labdocs." + s.className(), true, LabDocsTest.class.getClassLoader());
        try {
            c.getMethod("run").invoke(null);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void runJUnit(LabDocs.Snippet s) throws Exception {
        Class<?> c = Class.forName("labdocs." + typeName(s), true, LabDocsTest.class.getClassLoader());
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(c)).build(), listener);
        TestExecutionSummary summary = listener.getSummary();
        StringWriter w = new StringWriter();
        summary.printFailuresTo(new java.io.PrintWriter(w), 20);
        assertEquals(0, summary.getTotalFailureCount(), w::toString);
        assertTrue(summary.getTestsSucceededCount() > 0, "no test of " + c.getName() + " ran");
    }

    /** Compiles every block into the test-classes directory; the compiler's messages with docs/lab.md lines, or "". */
    private static String compile(List<LabDocs.Snippet> snippets) throws Exception {
        Path out = Path.of(LabDocsTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<JavaFileObject> units = new ArrayList<>();
        Map<String, LabDocs.Snippet> byUnit = new java.util.HashMap<>();
        for (LabDocs.Snippet s : snippets) {
            String name = s.is("file") ? typeName(s) : s.className();
            String header = "package labdocs;\n" + IMPORTS + singleTypeImports();
            String source = s.is("file") ? s.code()
                    : s.is("members") ? "public class " + name + " {\n" + s.code() + "}\n"
                    : s.is("run") ? "public class " + name + " {\npublic static void run() throws Exception {\n" + s.code() + "}\n}\n"
                    : "public class " + name + " {\nstatic void body(Lab lab, LabHost a, LabHost b) throws Exception {\n"
                            + s.code() + "}\n}\n";
            int offset = s.line() - header.split("\n").length - (s.is("file") ? 0 : s.is("members") ? 1 : 2);
            units.add(new Source(name, header + source, offset));
            byUnit.put(name, s);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of("-d", out.toString(), "-classpath", System.getProperty("java.class.path")
                + File.pathSeparator + out, "-proc:none", "-Xlint:none");
        boolean ok = javac.getTask(null, null, diagnostics, options, null, units).call();
        StringBuilder b = new StringBuilder();
        diagnostics.getDiagnostics().forEach(d -> {
            if (d.getKind() != javax.tools.Diagnostic.Kind.ERROR) return;
            Source src = (Source) d.getSource();
            b.append("docs/lab.md:").append(src == null ? "?" : d.getLineNumber() + src.offset).append(": ")
                    .append(d.getMessage(null)).append('\n');
        });
        if (!ok && b.length() == 0) b.append("javac failed without an error message");
        return b.toString();
    }

    /** The name of the first public type a {@code file} block declares. */
    private static String typeName(LabDocs.Snippet s) {
        Matcher m = Pattern.compile("public\\s+(?:final\\s+|abstract\\s+)*(?:class|record|interface|enum)\\s+(\\w+)").matcher(s.code());
        if (!m.find()) fail("docs/lab.md line " + s.line() + ": a `java file` block declares no public type");
        return m.group(1);
    }

    /** io.dualsock.lab's types imported one by one, so that Stack is the lab's, not java.util's. */
    private static String singleTypeImports() throws Exception {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Class<?>> t : LabDocs.publicTypes().entrySet()) {
            if (!t.getKey().contains(".")) b.append("import io.dualsock.lab.").append(t.getKey()).append(";\n");
        }
        return b.toString();
    }

    /** A compilation unit in memory, with the docs/lab.md line of its first line. */
    private static final class Source extends SimpleJavaFileObject {
        final String text;
        final int offset;

        Source(String name, String text, int offset) {
            super(URI.create("string:///labdocs/" + name + ".java"), Kind.SOURCE);
            this.text = text;
            this.offset = offset;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
