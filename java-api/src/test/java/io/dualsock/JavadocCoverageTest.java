package io.dualsock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every public and protected member of the API has a comment: the javadoc tool's doclint
 * "missing" check, run over {@code src/main/java}, reports no "no comment". (Its "no @param",
 * "no @return" and "no @throws" are not required: a member documented in one sentence and the
 * man page, as socket2 does, is complete. The build runs the other doclint groups and fails on
 * any of their warnings.)
 */
class JavadocCoverageTest {

    @Test
    void everyPublicMemberHasAComment(@TempDir Path out) throws Exception {
        DocumentationTool tool = ToolProvider.getSystemDocumentationTool();
        assertNotNull(tool, "this JDK has no javadoc tool");
        Path src = Path.of("src", "main", "java");
        assertTrue(Files.isDirectory(src.resolve("io/dualsock")), "run from the java-api module: " + src.toAbsolutePath());
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = tool.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            List<Path> sources = new ArrayList<>();
            try (var walk = Files.walk(src)) {
                walk.filter(p -> p.toString().endsWith(".java")).forEach(sources::add);
            }
            List<String> options = List.of("-quiet", "-d", out.toString(), "-classpath", classPath,
                    "-Xdoclint:missing", "-Xmaxwarns", "100000", "-locale", "en");
            boolean ok = tool.getTask(new StringWriter(), files, diagnostics, null, options,
                    files.getJavaFileObjectsFromPaths(sources)).call();
            List<String> missing = new ArrayList<>();
            for (var d : diagnostics.getDiagnostics()) {
                String msg = d.getMessage(Locale.ROOT);
                if (msg.contains("no comment")) {
                    missing.add((d.getSource() == null ? "" : Path.of(d.getSource().toUri()).getFileName()) + ":" + d.getLineNumber());
                }
            }
            assertEquals(List.of(), missing, "public members without a comment");
            assertTrue(ok, "javadoc failed: " + diagnostics.getDiagnostics());
        }
    }
}
