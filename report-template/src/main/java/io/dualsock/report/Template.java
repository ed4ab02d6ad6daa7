package io.dualsock.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Markdown template: the words of a report, with placeholders that a generator fills with
 * tables and numbers. The scheme, all of it:
 * <ul>
 * <li>{@code {{kind:name}}} is replaced by the value filled for exactly that key; kind is
 * {@code table}, {@code list}, {@code number} or {@code text} (it says what goes there);
 * <li>a line {@code {{if:name}}} up to the line {@code {{end:name}}} is kept or dropped as the
 * generator decides, the two marker lines always dropped;
 * <li>a line that starts with <code>{{!</code> and ends with <code>}}</code> is a comment, dropped;
 * <li>a line that is one placeholder filled with nothing (a table without rows) is dropped.
 * </ul>
 * Rendering fails (IllegalStateException naming the template and line) on a placeholder left
 * unfilled in a kept part, a value or block filled that the template does not have, a block not
 * decided, and any other {@code {{...}}}: a typo on either side is never silently printed.
 */
public final class Template {
    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(table|list|number|text):([A-Za-z0-9_.-]+)}}");
    private static final Pattern BLOCK = Pattern.compile("\\{\\{(if|end):([A-Za-z0-9_.-]+)}}");

    private final String name;
    /** The template's lines but comments, each with its number in the file (from 1) for messages. */
    private final List<Line> lines = new ArrayList<>();
    private final boolean oneLine;
    private final Set<String> placeholders = new LinkedHashSet<>();
    private final Set<String> blocks = new LinkedHashSet<>();

    /** A line: text with placeholders, or the start ({@code if}) or end ({@code end}) of a block. */
    private record Line(int number, String block, String name, String text) {}

    private Template(String name, String text) {
        this.name = name;
        List<String> raw = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!raw.isEmpty() && raw.get(raw.size() - 1).isEmpty()) raw.remove(raw.size() - 1);
        oneLine = raw.size() == 1;
        Deque<String> open = new ArrayDeque<>();
        for (int i = 0; i < raw.size(); i++) {
            String l = raw.get(i);
            if (comment(l)) continue;
            Matcher b = BLOCK.matcher(l);
            if (b.matches()) {
                if (b.group(1).equals("if")) {
                    open.push(b.group(2));
                    blocks.add(b.group(2));
                } else if (!b.group(2).equals(open.poll())) {
                    throw error(i + 1, "{{end:" + b.group(2) + "}} does not close the open block");
                }
                lines.add(new Line(i + 1, b.group(1), b.group(2), null));
                continue;
            }
            String rest = PLACEHOLDER.matcher(l).replaceAll(r -> {
                placeholders.add(r.group(1) + ":" + r.group(2));
                return "";
            });
            if (rest.contains("{{") || rest.contains("}}")) throw error(i + 1, "not a placeholder: " + l.strip());
            lines.add(new Line(i + 1, null, null, l));
        }
        if (!open.isEmpty()) throw new IllegalStateException(name + ": {{if:" + open.peek() + "}} is never closed");
    }

    private static boolean comment(String line) {
        return line.startsWith("{{!") && line.endsWith("}}");
    }

    /** A template from text; name is for messages. */
    public static Template of(String name, String text) {
        return new Template(name, text);
    }

    /** A template from a class path resource (UTF-8), e.g. {@code "/io/dualsock/bench/performance.md"}. */
    public static Template resource(String path) {
        return of(path, read(path));
    }

    static String read(String path) {
        try (InputStream in = Template.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("template " + path + " is not on the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The placeholders ({@code kind:name}) in this template, in order of first use. */
    public Set<String> placeholders() {
        return Set.copyOf(placeholders);
    }

    /** The template with values in, as text ending in a newline (none when the template is one line). */
    public String render(Values v) {
        for (String k : v.values.keySet()) {
            if (!placeholders.contains(k)) throw new IllegalStateException(name + ": filled {{" + k + "}}, which it does not have");
        }
        for (String k : v.shown.keySet()) {
            if (!blocks.contains(k)) throw new IllegalStateException(name + ": decided block " + k + ", which it does not have");
        }
        StringBuilder out = new StringBuilder();
        Deque<Boolean> keep = new ArrayDeque<>();
        for (Line l : lines) {
            if ("end".equals(l.block())) {
                keep.pop();
            } else if (l.block() != null) {
                Boolean shown = v.shown.get(l.name());
                if (shown == null) throw error(l.number(), "block " + l.name() + " not decided");
                keep.push(shown && (keep.isEmpty() || keep.peek()));
            } else if (keep.isEmpty() || keep.peek()) {
                Matcher whole = PLACEHOLDER.matcher(l.text());
                if (whole.matches() && "".equals(v.values.get(whole.group(1) + ":" + whole.group(2)))) continue;
                out.append(PLACEHOLDER.matcher(l.text()).replaceAll(r -> {
                    String value = v.values.get(r.group(1) + ":" + r.group(2));
                    if (value == null) throw error(l.number(), "{{" + r.group(1) + ":" + r.group(2) + "}} not filled");
                    return Matcher.quoteReplacement(value);
                }));
                if (!oneLine) out.append('\n');
            }
        }
        return out.toString();
    }

    private IllegalStateException error(int line, String what) {
        return new IllegalStateException(name + " line " + line + ": " + what);
    }

    /** What a generator fills in: values by placeholder, and which blocks are kept. */
    public static final class Values {
        final Map<String, String> values = new LinkedHashMap<>();
        final Map<String, Boolean> shown = new LinkedHashMap<>();

        private Values put(String key, Object value) {
            if (value == null) throw new IllegalArgumentException("null for {{" + key + "}}");
            if (values.putIfAbsent(key, value.toString()) != null) throw new IllegalArgumentException("{{" + key + "}} filled twice");
            return this;
        }

        public Values table(String name, String value) {
            return put("table:" + name, value);
        }

        public Values list(String name, String value) {
            return put("list:" + name, value);
        }

        public Values number(String name, Object value) {
            return put("number:" + name, value);
        }

        public Values text(String name, String value) {
            return put("text:" + name, value);
        }

        /** Keeps the block {@code {{if:name}}} or drops it. */
        public Values when(String name, boolean keep) {
            if (shown.putIfAbsent(name, keep) != null) throw new IllegalArgumentException("block " + name + " decided twice");
            return this;
        }
    }
}
