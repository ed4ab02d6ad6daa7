package io.dualsock.cli.output;

import io.dualsock.AddressSelection;

/** The one wording of "libc put A before B by rule N" shared by the matrix's explanations and compare. */
public final class OrderText {
    private OrderText() {}

    /** "libc put 2001:db8::5 before 198.51.100.5 by rule 6 (prefer higher precedence): precedence 40 vs 10". */
    public static String sentence(AddressSelection.Step s) {
        return sentence(s.first().toString(), s.second().toString(), s.rule(), s.values(), s.agrees());
    }

    public static String sentence(String first, String second, AddressSelection.Rule rule, String values, boolean agrees) {
        String pair = "libc put " + first + " before " + second;
        if (rule == AddressSelection.Rule.ORIGINAL_ORDER) {
            return pair + " by " + rule + ": no earlier rule tells them apart, so the name service's order stands";
        }
        if (!agrees) return pair + " although " + rule + " prefers the second (" + values + "): glibc's sort is not transitive";
        return pair + " by " + rule + ": " + values;
    }
}
