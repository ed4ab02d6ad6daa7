package io.dualsock.lab;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What {@link LabDocsTest} reads: docs/lab.md's reference section (a heading per public type, the
 * type's members as {@code `name(Type, Type)`} under it) and its fenced java blocks, and the public
 * API of {@code io.dualsock.lab} by reflection. The rule it applies is written at the top of the
 * reference section.
 */
final class LabDocs {
    private LabDocs() {}

    static final Path DOC = repoRoot().resolve("docs/lab.md");
    static final String REFERENCE = "## Reference";

    /** A fenced java block: the line of its opening fence (1-based), its info words, its text. */
    record Snippet(int line, Set<String> kind, String code) {
        boolean is(String word) {
            return kind.contains(word);
        }

        String className() {
            return "Snippet" + line;
        }
    }

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("docs/lab.md"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("docs/lab.md not found above " + Path.of("").toAbsolutePath());
        return p;
    }

    static List<String> lines() throws IOException {
        return Files.readAllLines(DOC);
    }

    /** Every ```java block, with the words after "java" on its fence (run, root, file, members, test). */
    static List<Snippet> snippets(List<String> lines) {
        List<Snippet> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String fence = lines.get(i).strip();
            if (!fence.startsWith("```java")) continue;
            Set<String> kind = new LinkedHashSet<>(List.of(fence.substring(3).strip().split("\\s+")));
            kind.remove("java");
            StringBuilder code = new StringBuilder();
            int j = i + 1;
            for (; j < lines.size() && !lines.get(j).strip().equals("```"); j++) code.append(lines.get(j)).append('\n');
            out.add(new Snippet(i + 1, kind, code.toString()));
            i = j;
        }
        return out;
    }

    /**
     * The reference section's type headings ({@code ### `Lab`}, {@code #### `Lab.Builder`, `Lab.ServerInfo`}),
     * each type name mapped to the text under its heading up to the next heading. Code blocks are left out.
     */
    static Map<String, String> typeSections(List<String> lines) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> current = List.of();
        StringBuilder text = new StringBuilder();
        boolean inReference = false;
        boolean inCode = false;
        for (String line : lines) {
            if (line.strip().startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            if (inCode) continue;
            if (line.startsWith("## ")) {
                flush(out, current, text);
                current = List.of();
                inReference = line.strip().equals(REFERENCE);
                continue;
            }
            if (!inReference) continue;
            if (line.startsWith("###")) {
                flush(out, current, text);
                current = new ArrayList<>();
                Matcher m = Pattern.compile("`([A-Z][A-Za-z0-9]*(?:\\.[A-Z][A-Za-z0-9]*)*)`").matcher(line);
                while (m.find()) current.add(m.group(1));
                continue;
            }
            text.append(line).append('\n');
        }
        flush(out, current, text);
        return out;
    }

    private static void flush(Map<String, String> out, List<String> types, StringBuilder text) {
        for (String t : types) out.merge(t, text.toString(), String::concat);
        text.setLength(0);
    }

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern CALL = Pattern.compile("(?:new\\s+)?([A-Za-z_][A-Za-z0-9_.]*)\\((.*)\\)");

    /** The member signatures written in a section: {@code name(Type,Type)} with generics and parameter names dropped. */
    static Set<String> signatures(String section) {
        Set<String> out = new TreeSet<>();
        Matcher m = CODE.matcher(section);
        while (m.find()) {
            Matcher c = CALL.matcher(m.group(1).strip());
            if (!c.matches()) continue;
            String name = c.group(1).substring(c.group(1).lastIndexOf('.') + 1);
            String params = eraseGenerics(c.group(2)).strip();
            List<String> types = new ArrayList<>();
            if (!params.isEmpty()) {
                for (String p : params.split(",")) {
                    String t = p.strip().replaceFirst("^final\\s+", "").split("\\s+")[0];
                    types.add(t.substring(t.lastIndexOf('.', t.endsWith("...") ? t.length() - 4 : t.length()) + 1));
                }
            }
            out.add(name + "(" + String.join(",", types) + ")");
        }
        return out;
    }

    private static String eraseGenerics(String s) {
        StringBuilder b = new StringBuilder();
        int depth = 0;
        for (char ch : s.toCharArray()) {
            if (ch == '<') depth++;
            else if (ch == '>') depth--;
            else if (depth == 0) b.append(ch);
        }
        return b.toString();
    }

    /** Every public type of io.dualsock.lab (nested ones whose enclosing types are public too), by its dotted simple name. */
    static Map<String, Class<?>> publicTypes() throws IOException, ClassNotFoundException, URISyntaxException {
        Path dir = Path.of(Lab.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve("io/dualsock/lab");
        Map<String, Class<?>> out = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String file = f.getFileName().toString();
                if (!file.endsWith(".class")) continue;
                Class<?> c = Class.forName("io.dualsock.lab." + file.substring(0, file.length() - 6), false,
                        LabDocs.class.getClassLoader());
                if (isPublicApi(c)) out.put(dottedName(c), c);
            }
        }
        return out;
    }

    private static boolean isPublicApi(Class<?> c) {
        if (c.isSynthetic() || c.isAnonymousClass() || c.isLocalClass()) return false;
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) if (!Modifier.isPublic(k.getModifiers())) return false;
        return true;
    }

    static String dottedName(Class<?> c) {
        return c.getEnclosingClass() == null ? c.getSimpleName() : dottedName(c.getEnclosingClass()) + "." + c.getSimpleName();
    }

    /**
     * The signatures a type's section must hold: its public constructors and declared public
     * methods, except synthetic and bridge methods, an enum's values()/valueOf(String), Object's
     * equals/hashCode/toString, and a record's component accessors (its canonical constructor,
     * which is required, names the components).
     */
    static Set<String> requiredSignatures(Class<?> c) {
        Set<String> out = new TreeSet<>();
        Set<String> components = new java.util.HashSet<>();
        if (c.isRecord()) for (var rc : c.getRecordComponents()) components.add(rc.getName());
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            if (Modifier.isPublic(k.getModifiers()) && !k.isSynthetic()) out.add(signature(c.getSimpleName(), k));
        }
        for (Method m : c.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers()) || m.isSynthetic() || m.isBridge()) continue;
            String name = m.getName();
            int n = m.getParameterCount();
            if (c.isEnum() && (name.equals("values") && n == 0 || name.equals("valueOf") && n == 1)) continue;
            if (name.equals("toString") && n == 0 || name.equals("hashCode") && n == 0
                    || name.equals("equals") && n == 1 && m.getParameterTypes()[0] == Object.class) continue;
            if (n == 0 && components.contains(name)) continue;
            out.add(signature(name, m));
        }
        return out;
    }

    /** The public static fields (constants, enum constants) a type's section must name. */
    static Set<String> requiredFields(Class<?> c) {
        Set<String> out = new TreeSet<>();
        for (Field f : c.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (Modifier.isPublic(mod) && Modifier.isStatic(mod) && !f.isSynthetic()) out.add(f.getName());
        }
        return out;
    }

    private static String signature(String name, Executable e) {
        List<String> types = new ArrayList<>();
        Class<?>[] p = e.getParameterTypes();
        for (int i = 0; i < p.length; i++) {
            boolean varargs = e.isVarArgs() && i == p.length - 1;
            types.add(varargs ? p[i].getComponentType().getSimpleName() + "..." : p[i].getSimpleName());
        }
        return name + "(" + String.join(",", types) + ")";
    }
}
