package io.dualsock;

/**
 * Address text exactly as glibc's {@code inet_pton(3)} reads it and {@code inet_ntop(3)} writes
 * it, in pure Java (no native call), so that parsing and printing cost nothing and can be
 * tested without the shim. Differential tests hold these to the shim's libc calls.
 */
final class InetText {
    /** Port range check of every address constructor (here, not in SockAddr, whose static methods are public). */
    static void checkPort(int port) {
        if (port < 0 || port > 0xffff) throw new IllegalArgumentException("port out of range 0..65535: " + port);
    }

    /**
     * User text in an error message, bounded and printable (a name can be 64 KiB long and hold
     * control characters): quoted, at most {@code max} characters then "...", controls as
     * {@code \xNN}; "null" for null. Here for the same reason as checkPort.
     */
    static String quote(String s, int max) {
        if (s == null) return "null";
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length() && i < max; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", (int) c));
            else sb.append(c);
        }
        if (s.length() > max) sb.append("...");
        return sb.append('"').toString();
    }

    private InetText() {}

    /** inet_pton(AF_INET): four decimal octets, no leading zeros, nothing else; else null. */
    static byte[] parse4(CharSequence s) {
        return parse4(s, 0, s.length());
    }

    static byte[] parse4(CharSequence s, int from, int to) {
        byte[] out = new byte[4];
        int octets = 0;
        int cur = 0;
        boolean sawDigit = false;
        for (int i = from; i < to; i++) {
            char ch = s.charAt(i);
            if (ch >= '0' && ch <= '9') {
                int next = cur * 10 + (ch - '0');
                if (sawDigit && cur == 0) return null; // leading zero, as glibc refuses
                if (next > 255) return null;
                cur = next;
                if (!sawDigit) {
                    if (++octets > 4) return null;
                    sawDigit = true;
                }
            } else if (ch == '.' && sawDigit) {
                if (octets == 4) return null;
                out[octets - 1] = (byte) cur;
                cur = 0;
                sawDigit = false;
            } else {
                return null;
            }
        }
        if (octets < 4 || !sawDigit) return null;
        out[3] = (byte) cur;
        return out;
    }

    private static int hex(char ch) {
        if (ch >= '0' && ch <= '9') return ch - '0';
        if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
        if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
        return -1;
    }

    /** inet_pton(AF_INET6), following glibc's inet_pton6 step by step; null when invalid. */
    static byte[] parse6(CharSequence s) {
        return parse6(s, 0, s.length());
    }

    static byte[] parse6(CharSequence s, int from, int end) {
        byte[] tmp = new byte[16];
        int tp = 0;
        int colonp = -1;
        int src = from;
        if (src == end) return null;
        if (s.charAt(src) == ':') {
            ++src;
            if (src == end || s.charAt(src) != ':') return null;
        }
        int curtok = src;
        int xdigits = 0;
        int val = 0;
        while (src < end) {
            char ch = s.charAt(src++);
            int d = hex(ch);
            if (d >= 0) {
                if (xdigits == 4) return null;
                val = (val << 4) | d;
                if (val > 0xffff) return null;
                ++xdigits;
                continue;
            }
            if (ch == ':') {
                curtok = src;
                if (xdigits == 0) {
                    if (colonp >= 0) return null;
                    colonp = tp;
                    continue;
                } else if (src == end) {
                    return null;
                }
                if (tp + 2 > 16) return null;
                tmp[tp++] = (byte) (val >> 8);
                tmp[tp++] = (byte) val;
                xdigits = 0;
                val = 0;
                continue;
            }
            if (ch == '.' && tp + 4 <= 16) {
                byte[] v4 = parse4(s, curtok, end);
                if (v4 != null) {
                    System.arraycopy(v4, 0, tmp, tp, 4);
                    tp += 4;
                    xdigits = 0;
                    break;
                }
            }
            return null;
        }
        if (xdigits > 0) {
            if (tp + 2 > 16) return null;
            tmp[tp++] = (byte) (val >> 8);
            tmp[tp++] = (byte) val;
        }
        if (colonp >= 0) {
            if (tp == 16) return null; // "::" would stand for no group at all
            int n = tp - colonp;
            System.arraycopy(tmp, colonp, tmp, 16 - n, n);
            for (int i = colonp; i < 16 - n; i++) tmp[i] = 0;
            tp = 16;
        }
        return tp == 16 ? tmp : null;
    }

    static String format4(byte[] a, int off) {
        return (a[off] & 0xff) + "." + (a[off + 1] & 0xff) + "." + (a[off + 2] & 0xff) + "." + (a[off + 3] & 0xff);
    }

    /** inet_ntop(AF_INET6), following glibc's inet_ntop6 (embedded IPv4 for ::ffff:0:0/96 and ::/96). */
    static String format6(byte[] a) {
        int[] w = new int[8];
        for (int i = 0; i < 16; i += 2) w[i / 2] = ((a[i] & 0xff) << 8) | (a[i + 1] & 0xff);
        int bestBase = -1, bestLen = 0, curBase = -1, curLen = 0;
        for (int i = 0; i < 8; i++) {
            if (w[i] == 0) {
                if (curBase == -1) {
                    curBase = i;
                    curLen = 1;
                } else {
                    curLen++;
                }
            } else if (curBase != -1) {
                if (bestBase == -1 || curLen > bestLen) {
                    bestBase = curBase;
                    bestLen = curLen;
                }
                curBase = -1;
            }
        }
        if (curBase != -1 && (bestBase == -1 || curLen > bestLen)) {
            bestBase = curBase;
            bestLen = curLen;
        }
        if (bestBase != -1 && bestLen < 2) bestBase = -1;
        StringBuilder sb = new StringBuilder(46);
        for (int i = 0; i < 8; i++) {
            if (bestBase != -1 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) sb.append(':');
                continue;
            }
            if (i != 0) sb.append(':');
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xffff))) {
                sb.append(format4(a, 12));
                return sb.toString();
            }
            sb.append(Integer.toHexString(w[i]));
        }
        if (bestBase != -1 && bestBase + bestLen == 8) sb.append(':');
        return sb.toString();
    }
}
