package io.dualsock.cli.compare;

import java.io.PrintStream;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.dualsock.AiFlag;
import io.dualsock.bindings.LibcLocale;
import io.dualsock.cli.compare.ProbeOutput.JdkLookup;

/**
 * The child JVM of the internationalised-name comparison, started under one {@code LANG} in
 * the lab namespace: for each name it asks libc with and without {@code AI_IDN} (libc reads
 * the name in this process's locale, which the JVM set from {@code LANG}) and the JDK with the
 * name as given and after {@link IDN#toASCII}, and prints one JSON document ({@link Output})
 * after {@link JdkProbe#MARKER}.
 *
 * <pre>
 * java -cp .. io.dualsock.cli.compare.IdnProbe HEX..     (each name as the hex of its UTF-8 bytes)
 * </pre>
 *
 * <p>Names cross as hex because the JVM decodes its arguments in {@code sun.jnu.encoding},
 * which under {@code LANG=C} cannot hold them.
 */
public final class IdnProbe {
    private IdnProbe() {}

    /** libc's question with AI_IDN, and the same without it (what the JDK asks, flags aside). */
    static final LibcVariant WITH_IDN = new LibcVariant("AF_UNSPEC", List.of(AiFlag.IDN));
    static final LibcVariant WITHOUT_IDN = LibcVariant.UNSPEC;

    /**
     * What one child saw.
     *
     * @param lang {@code LANG} as the child got it
     * @param lcCtype {@code setlocale(LC_CTYPE, NULL)} in the child, through the shim
     * @param codeset {@code nl_langinfo(CODESET)} in the child
     * @param jnuEncoding {@code sun.jnu.encoding}: how the JDK hands a name to getaddrinfo
     * @param lookups one per name
     */
    public record Output(String lang, String lcCtype, String codeset, String jnuEncoding, List<Lookup> lookups) {}

    /**
     * @param name the name as given
     * @param ascii {@code IDN.toASCII(name)}, or the exception
     * @param libcIdn getaddrinfo(name, AF_UNSPEC, AI_IDN)
     * @param libcPlain getaddrinfo(name, AF_UNSPEC)
     * @param jdkName {@code InetAddress.getAllByName(name)}
     * @param jdkAscii {@code InetAddress.getAllByName(IDN.toASCII(name))}
     */
    public record Lookup(String name, String ascii, LibcLookup libcIdn, LibcLookup libcPlain, JdkLookup jdkName,
            JdkLookup jdkAscii) {}

    public static void main(String[] args) throws Exception {
        List<Lookup> out = new ArrayList<>();
        for (String hex : args) {
            String name = new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8);
            String ascii;
            JdkLookup jdkAscii;
            try {
                ascii = IDN.toASCII(name);
                jdkAscii = JdkSide.lookup(ascii);
            } catch (IllegalArgumentException e) {
                ascii = "IllegalArgumentException: " + e.getMessage();
                jdkAscii = new JdkLookup(ascii, List.of(), ascii);
            }
            out.add(new Lookup(name, ascii, LibcLookup.run(name, null, WITH_IDN), LibcLookup.run(name, null, WITHOUT_IDN),
                    JdkSide.lookup(name), jdkAscii));
        }
        Output o = new Output(System.getenv("LANG"), LibcLocale.ctype(), LibcLocale.codeset(),
                System.getProperty("sun.jnu.encoding"), out);
        PrintStream ps = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        ps.println(JdkProbe.MARKER);
        ps.println(new ObjectMapper().writeValueAsString(o));
        ps.flush();
    }
}
