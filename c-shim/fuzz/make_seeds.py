#!/usr/bin/env python3
"""Writes the hand-made seed inputs of every libFuzzer target into corpus/<target>/seed-*.

Run once when a target's input format changes (the files are committed; the fuzzers add
their own findings beside them with `bin/fuzz --merge`). Linux, little-endian values."""
import os
import socket
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
AF_INET, AF_INET6, AF_UNIX = 2, 10, 1
AI_PASSIVE, AI_CANONNAME, AI_NUMERICHOST, AI_V4MAPPED, AI_ALL, AI_ADDRCONFIG, AI_NUMERICSERV = 1, 2, 4, 8, 0x10, 0x20, 0x400


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def u32(v):
    return struct.pack(">I", v & 0xffffffff)


def sin(addr, port):
    return struct.pack("<H", AF_INET) + struct.pack(">H", port) + socket.inet_pton(socket.AF_INET, addr) + bytes(8)


def sin6(addr, port, flow=0, scope=0):
    return (struct.pack("<H", AF_INET6) + struct.pack(">H", port) + struct.pack(">I", flow)
            + socket.inet_pton(socket.AF_INET6, addr) + struct.pack("<I", scope))


# getaddrinfo: sel (bit0 host NULL, bit1 serv NULL, bits2-3 family 0 unspec/1 inet/2 inet6/3 raw,
# bits4-5 socktype 0 any/1 stream/2 dgram/3 raw, bit6 raw protocol), sel2 (bits0-1 buffer),
# family, socktype, protocol, flags, host 0xff service
def gai(name, host, serv, fam=0, st=0, flags=0, buf=2, raw=(0, 0, 0)):
    sel = (1 if host is None else 0) | (2 if serv is None else 0) | (fam << 2) | (st << 4)
    body = bytes([sel, buf]) + u32(raw[0]) + u32(raw[1]) + u32(raw[2]) + u32(flags)
    body += (host or "").encode() + b"\xff" + (serv or "").encode()
    write("getaddrinfo", name, body)


gai("v4", "198.51.100.7", "80", fam=1, st=1)
gai("v4mapped", "198.51.100.7", "80", fam=2, st=1, flags=AI_V4MAPPED)
gai("v4mapped-all", "198.51.100.7", "http", fam=2, flags=AI_V4MAPPED | AI_ALL)
gai("v6-loopback", "::1", "443", st=2)
gai("v6-scope", "fe80::1%1", "53", fam=2, st=2)
gai("v6-scope-name", "fe80::1%lo", "53", fam=2)
gai("shorthand", "127.1", "7", fam=1)
gai("hex-octal", "0x7f.0.0.01", "9", fam=1)
gai("mapped-text", "::ffff:198.51.100.1", "22", fam=0)
gai("canon", "2001:db8::1", "22", flags=AI_CANONNAME, buf=0)
gai("passive-null-host", None, "8080", fam=2, st=1, flags=AI_PASSIVE)
gai("null-null", None, None)
gai("name-refused", "localhost", "80")
gai("numericserv", "::1", "http", flags=AI_NUMERICSERV)
gai("addrconfig", "198.51.100.7", "80", flags=AI_ADDRCONFIG)
gai("small-buffer", "::1", "80", buf=3, raw=(0, 0, 40))
gai("bad-family", "::1", "80", fam=3, raw=(12345, 0, 0))
gai("bad-socktype", "::1", "80", st=3, raw=(0, 77, 0))
gai("service-range", "::1", "65536")
gai("long-host", "1" * 300, "80")

# getnameinfo: salen, outlen choice, flags, sockaddr bytes
def gni(name, sa, flags=0, outsel=0, salen=None):
    write("getnameinfo", name, bytes([len(sa) if salen is None else salen, outsel]) + u32(flags) + sa)


gni("v4", sin("127.0.0.1", 80))
gni("v4-short", sin("127.0.0.1", 80), salen=15)
gni("v6", sin6("::1", 443))
gni("v6-scope", sin6("fe80::1", 53, scope=1))
gni("v6-scope-unknown", sin6("fe80::1", 53, scope=9999))
gni("v6-flow", sin6("2001:db8::1", 1, flow=0x12345))
gni("mapped", sin6("::ffff:198.51.100.1", 22))
gni("dgram", sin("198.51.100.7", 53), flags=0x10)
gni("namereqd", sin("198.51.100.7", 53), flags=0x8)
gni("unix", struct.pack("<H", AF_UNIX) + b"/tmp/x\0")
gni("unspec", struct.pack("<H", 0) + bytes(14))
gni("outlen-small", sin("127.0.0.1", 80), outsel=1)
gni("salen-big", sin("127.0.0.1", 80), salen=200)

# inet: family choice, ntop buffer length, raw family, 16 address bytes, text
def inet(name, fam, text, addr=bytes(16), dstlen=46, raw=0):
    write("inet", name, bytes([fam, dstlen]) + u32(raw) + addr + text.encode())


inet("v4", 0, "198.51.100.7")
inet("v4-leading-zero", 0, "198.051.100.7")
inet("v4-short", 0, "127.1")
inet("v6", 1, "2001:db8::1")
inet("v6-mapped", 1, "::ffff:198.51.100.1", addr=socket.inet_pton(socket.AF_INET6, "::ffff:198.51.100.1"))
inet("v6-compat", 1, "::1.2.3.4", addr=socket.inet_pton(socket.AF_INET6, "::1.2.3.4"))
inet("v6-full", 1, "1:2:3:4:5:6:7:8", addr=socket.inet_pton(socket.AF_INET6, "1:2:3:4:5:6:7:8"), dstlen=15)
inet("v6-longest", 1, "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255", addr=b"\xff" * 16, dstlen=46)
inet("v6-fits-exactly", 1, "::", addr=bytes(16), dstlen=3)
inet("v6-too-short", 1, "::", addr=bytes(16), dstlen=2)
inet("v6-two-gaps", 1, "1::2::3")
inet("v6-zone", 1, "fe80::1%lo")
inet("raw-family", 2, "1.2.3.4", raw=12345)

# ifname: u32 index, buffer length, name
def ifn(name, index, buflen, text):
    write("ifname", name, u32(index) + bytes([buflen]) + text.encode())


ifn("lo", 1, 16, "lo")
ifn("long", 2, 16, "x" * 40)
ifn("small-buffer", 1, 4, "eth0")
ifn("unknown-index", 0x7ffffff0, 16, "nosuchif0")

# errors: errnum, eai, constant index, buffer length, three coin bytes
def err(name, errnum, eai, ci, buflen, coins=b"\0\0\0"):
    write("errors", name, u32(errnum) + u32(eai) + u32(ci) + bytes([buflen]) + coins)


err("econnrefused", 111, -2, 0, 64)
err("short-buffer", 2, -11, 5, 3)
err("unknown", 99999, 12345, 100000, 255)
err("negative", -1, -1, -1, 1)

# sockaddr: socket choice, op, payload length, timeout, sockaddr, payload
def sa(name, sock, op, addr, payload=b"", timeout=1):
    write("sockaddr", name, bytes([sock, op, len(payload), timeout]) + addr.ljust(28, b"\0") + payload)


sa("bind-v4", 0, 0, sin("127.0.0.1", 0))
sa("bind-v6", 1, 0, sin6("::1", 0))
sa("bind-v6-mapped", 1, 0, sin6("::ffff:127.0.0.1", 0))
sa("bind-v4-on-v6", 1, 0, sin("127.0.0.1", 0))
sa("connect-refused", 2, 1, sin("127.0.0.1", 1))
sa("connect-v6-refused", 3, 1, sin6("::1", 1))
sa("connect-unreachable", 2, 1, sin("198.51.100.7", 80))
sa("connect-timeout", 6, 2, sin("127.0.0.1", 1))
sa("sendto-v4", 0, 3, sin("127.0.0.1", 9), b"hello")
sa("sendto-v6", 1, 3, sin6("::1", 9), b"hello")
sa("sendto-mapped", 1, 3, sin6("::ffff:127.0.0.1", 9), b"mapped")
sa("sendto-unconnected", 0, 4, b"", b"x")
sa("recv", 0, 5, b"", b"")
sa("unknown-family", 0, 0, struct.pack("<H", AF_UNIX) + b"/x")

# sockopt: socket choice, level choice, name, value length, value, getsockopt length
def so(name, sock, level, opt, value, glen=4):
    write("sockopt", name, bytes([sock, level, opt, len(value)]) + value + bytes([glen]))


so("reuseaddr", 0, 0, 2, struct.pack("<i", 1))
so("rcvbuf", 0, 0, 8, struct.pack("<i", 65536))
so("linger", 2, 0, 13, struct.pack("<ii", 1, 0), glen=8)
so("rcvtimeo", 0, 0, 20, struct.pack("<qq", 1, 0), glen=16)
so("ttl", 0, 1, 2, struct.pack("<i", 7))
so("v6only", 1, 2, 26, struct.pack("<i", 1))
so("nodelay", 2, 3, 1, struct.pack("<i", 1))
so("short", 0, 0, 7, b"\x01", glen=1)
so("empty", 0, 0, 7, b"", glen=0)

# ---- Jazzer seeds (fuzz/ module, regression mode runs them in every build) ----
JAVA = os.path.join(HERE, "..", "..", "fuzz", "src", "test", "resources", "io", "dualsock")


def jwrite(test, method, name, data):
    d = os.path.join(JAVA, test + "Inputs", method)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# ResolverFuzzTest shares fuzz_getaddrinfo's input layout
gdir = os.path.join(HERE, "corpus", "getaddrinfo")
for f in sorted(os.listdir(gdir)):
    if f.startswith("seed-"):
        jwrite("ResolverFuzzTest", "getaddrinfoAgreesWithLibc", f, open(os.path.join(gdir, f), "rb").read())

for i, t in enumerate(["198.51.100.7", "0.0.0.0", "255.255.255.255", "256.1.1.1", "1.2.3", "1.2.3.4.5",
                       "01.2.3.4", "1..2.3", "127.1", "::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::",
                       "::1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "::ffff:198.51.100.1", "::1.2.3.4", "1::1.2.3.4",
                       "::ffff:1.2.3", "fe80::1%1", "fe80::1%lo", "fe80::1%", "fe80::1%4294967296", "12345::",
                       "1:::2", ":1::2", "1::2:", "FFFF::", "0:0:0:0:0:0:0:0", "::0:0:1", "1.2.3.4\x00junk",
                       "2001:db8::1\xe9", " 1.2.3.4", "1.2.3.4 ", "::ffff:1.2.3.4.5", "1:2:3:4:5:6:1.2.3.4",
                       "1:2:3:4:5:6:7:1.2.3.4"]):
    jwrite("InetTextFuzzTest", "parseAgreesWithInetPton", "seed-%02d" % i, t.encode("latin-1"))

for name, a in [("zero", bytes(16)), ("loopback", socket.inet_pton(socket.AF_INET6, "::1")),
                ("mapped", socket.inet_pton(socket.AF_INET6, "::ffff:198.51.100.1")),
                ("compat", socket.inet_pton(socket.AF_INET6, "::1.2.3.4")),
                ("nat64", socket.inet_pton(socket.AF_INET6, "64:ff9b::1.2.3.4")),
                ("one-zero-run", socket.inet_pton(socket.AF_INET6, "1:0:2:3:4:5:6:7")),
                ("two-runs", socket.inet_pton(socket.AF_INET6, "1:0:0:2:0:0:0:3")),
                ("equal-runs", socket.inet_pton(socket.AF_INET6, "1:0:0:2:0:0:3:4")),
                ("trailing", socket.inet_pton(socket.AF_INET6, "1::")),
                ("ones", b"\xff" * 16), ("v4-short", b"\xc6\x33\x64")]:
    jwrite("InetTextFuzzTest", "printAgreesWithInetNtop", "seed-" + name, a)


def flat(entries, status=0, count=None):
    out = struct.pack("<iiii", status, 0, len(entries) if count is None else count, 0)
    for fam, st, proto, port, addr, canon in entries:
        e = struct.pack("<iiiiHHIIi", fam, st, proto, 0, port, len(addr), 0, 0, -1 if canon is None else len(canon))
        e += addr.ljust(16, b"\0")
        if canon is not None:
            e += canon + b"\0"
        e += bytes((-len(e)) % 8)
        out += e
    return out


v4 = (AF_INET, 1, 6, 80, socket.inet_pton(socket.AF_INET, "198.51.100.7"), None)
v6 = (AF_INET6, 2, 17, 53, socket.inet_pton(socket.AF_INET6, "::ffff:198.51.100.7"), b"host.example")
for name, data in [("one-v4", flat([v4])), ("v6-canon", flat([v6])), ("two", flat([v6, v4])),
                   ("error", flat([], status=-2)), ("count-too-big", flat([v4], count=1000)),
                   ("count-negative", flat([v4], count=-1)), ("header-only", flat([])),
                   ("short", flat([v4])[:40]), ("empty", b"")]:
    jwrite("FlatAddrInfoFuzzTest", "arbitraryBytes", "seed-" + name, data)
jwrite("FlatAddrInfoFuzzTest", "wellFormedRoundTrip", "seed-some", bytes(range(256)) * 2)
