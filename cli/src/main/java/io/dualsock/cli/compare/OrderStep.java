package io.dualsock.cli.compare;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.dualsock.AddressSelection;
import io.dualsock.SelectionPolicy;
import io.dualsock.SockAddr;
import io.dualsock.cli.output.OrderText;

/**
 * Why libc put one address of its answer before the next: the first rule of glibc's
 * destination address selection that tells them apart, found by {@link AddressSelection} with
 * the sources this process's network namespace gives and its {@code /etc/gai.conf}.
 *
 * @param first the address libc put first ({@code inet_ntop} text)
 * @param second the next one
 * @param rule 1..10 (RFC 6724 §6 numbering); 0 when the rules could not be replayed
 * @param ruleName "prefer higher precedence", or why the rules could not be replayed
 * @param values what the rule compared, e.g. {@code precedence 40 vs 10}
 * @param agrees false when the rule prefers the second (glibc's sort is not transitive)
 */
public record OrderStep(String first, String second, int rule, String ruleName, String values, boolean agrees) {

    /** "libc put 2001:db8::5 before 198.51.100.5 by rule 6 (prefer higher precedence): precedence 40 vs 10". */
    public String sentence() {
        if (rule == 0) return "libc put " + first + " before " + second + ": the rules could not be replayed (" + ruleName + ")";
        return OrderText.sentence(first, second, AddressSelection.Rule.values()[rule - 1], values, agrees);
    }

    /** One step per adjacent pair of {@code libcOrder} (distinct addresses in libc's order); empty for fewer than two. */
    static List<OrderStep> of(List<SockAddr> libcOrder) {
        List<OrderStep> out = new ArrayList<>();
        if (libcOrder.size() < 2) return out;
        AddressSelection.Result r;
        try {
            r = AddressSelection.sort(libcOrder, SelectionPolicy.system().policy());
        } catch (IOException | RuntimeException e) {
            for (int i = 0; i + 1 < libcOrder.size(); i++) {
                out.add(new OrderStep(libcOrder.get(i).address(), libcOrder.get(i + 1).address(), 0, e.toString(), "", false));
            }
            return out;
        }
        for (int i = 0; i + 1 < r.input().size(); i++) {
            AddressSelection.Step s = r.explain(r.input().get(i), r.input().get(i + 1));
            out.add(new OrderStep(s.first().toString(), s.second().toString(), s.rule().number(), s.rule().description(),
                    s.values(), s.agrees()));
        }
        return out;
    }

    /** " libc put A before B by rule 6 (...): ..." for every step whose two addresses {@code other} lists the other way round. */
    static String reversed(List<OrderStep> steps, List<String> other) {
        StringBuilder sb = new StringBuilder();
        for (OrderStep st : steps) {
            int a = other.indexOf(st.first());
            int b = other.indexOf(st.second());
            if (a >= 0 && b >= 0 && b < a) sb.append(' ').append(st.sentence()).append('.');
        }
        return sb.toString();
    }
}
