package io.dualsock.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Short named texts that a generator picks by key (what a fuzz target checks, why a target was
 * missed), kept in a Markdown file as a list: {@code - `key`: text}, continued on lines indented
 * by two spaces (joined with one space). Headings and paragraphs around the list are for the
 * reader and ignored. Each text is a one-line {@link Template}.
 */
public final class Notes {
    private static final Pattern ITEM = Pattern.compile("- `([^`]+)`: (.*)");

    private final String name;
    private final Map<String, Template> notes = new LinkedHashMap<>();

    private Notes(String name, String text) {
        this.name = name;
        String key = null;
        StringBuilder body = new StringBuilder();
        for (String line : text.split("\n")) {
            if (key != null && line.startsWith("  ") && !line.isBlank()) {
                body.append(' ').append(line.strip());
                continue;
            }
            add(key, body);
            key = null;
            Matcher m = ITEM.matcher(line);
            if (m.matches()) {
                key = m.group(1);
                body.setLength(0);
                body.append(m.group(2).strip());
            }
        }
        add(key, body);
    }

    private void add(String key, CharSequence body) {
        if (key != null && notes.put(key, Template.of(name + " `" + key + "`", body.toString())) != null) {
            throw new IllegalStateException(name + ": `" + key + "` twice");
        }
    }

    public static Notes of(String name, String text) {
        return new Notes(name, text);
    }

    public static Notes resource(String path) {
        return of(path, Template.read(path));
    }

    public Set<String> keys() {
        return notes.keySet();
    }

    public boolean has(String key) {
        return notes.containsKey(key);
    }

    /** The note for key with values in; fails on a key the file does not have. */
    public String render(String key, Template.Values v) {
        Template t = notes.get(key);
        if (t == null) throw new IllegalStateException(name + " has no note `" + key + "`");
        return t.render(v);
    }

    /** A note without placeholders. */
    public String text(String key) {
        return render(key, new Template.Values());
    }
}
