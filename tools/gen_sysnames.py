#!/usr/bin/env python3
# Writes arch/<arch>/sysnames.c: syscall numbers by name, for demultiplexing raw_syscalls records
# (tracer/prov_tracepoint.c). x86_64 from <asm/unistd_64.h>; aarch64 from the asm-generic table
# (/usr/include/asm-generic/unistd.h of linux-libc-dev) run through cpp with the __ARCH_WANT_*
# switches of arm64's <asm/unistd.h>, as the kernel's own build does.
#   tools/gen_sysnames.py x86_64 [HEADER]     tools/gen_sysnames.py aarch64 [HEADER]
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")

# arm64's uapi <asm/unistd.h>: what it switches on before including asm-generic/unistd.h
ARM64_WANT = ["__ARCH_WANT_RENAMEAT", "__ARCH_WANT_NEW_STAT", "__ARCH_WANT_SET_GET_RLIMIT",
              "__ARCH_WANT_TIME32_SYSCALLS", "__ARCH_WANT_SYS_CLONE3", "__ARCH_WANT_MEMFD_SECRET"]


def macros(header, defines):
    # the header's only include is <asm/bitsperlong.h>: a 64-bit one of our own, so that the
    # host's (x86) header cannot decide it
    with tempfile.TemporaryDirectory() as inc:
        os.mkdir(os.path.join(inc, "asm"))
        with open(os.path.join(inc, "asm", "bitsperlong.h"), "w") as f:
            f.write("#define __BITS_PER_LONG 64\n")
        cmd = ["cpp", "-dM", "-undef", "-nostdinc", "-I", inc]
        cmd += ["-D%s" % d for d in defines] + [header]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    defs = {}
    for line in out.splitlines():
        m = re.match(r"#define (\w+) (.*)$", line)
        if m:
            defs[m.group(1)] = m.group(2).strip()
    return defs


def value(defs, expr, depth=0):
    """An __NR_ macro's number: a literal, another macro, or (a + b) of those."""
    expr = expr.strip()
    while expr.startswith("(") and expr.endswith(")"):
        expr = expr[1:-1].strip()
    if re.fullmatch(r"\d+", expr):
        return int(expr)
    if depth > 8:
        return None
    if "+" in expr:
        parts = [value(defs, p, depth + 1) for p in expr.split("+")]
        return None if None in parts else sum(parts)
    if expr in defs:
        return value(defs, defs[expr], depth + 1)
    return None


def table(arch, header):
    if arch == "x86_64":
        defs = macros(header or "/usr/include/x86_64-linux-gnu/asm/unistd_64.h", [])
    else:
        defs = macros(header or "/usr/include/asm-generic/unistd.h", ARM64_WANT)
    nrs = {}
    for name, expr in defs.items():
        if not name.startswith("__NR_") or name.startswith("__NR3264_"):
            continue
        nr = value(defs, expr)
        sysname = name[len("__NR_"):]
        if nr is not None and sysname != "syscalls" and re.fullmatch(r"[a-z0-9_]+", sysname):
            nrs[sysname] = nr
    return sorted(nrs.items(), key=lambda kv: (kv[1], kv[0]))


# open(2) flags whose values differ: x86_64's <asm/fcntl.h> and arm64's
OFLAGS = {"x86_64": (0o40000, 0o100000, 0o200000, 0o400000),
          "aarch64": (0o200000, 0o400000, 0o40000, 0o100000)}


def write(arch, rows):
    src = ("<asm/unistd_64.h>" if arch == "x86_64" else
           "the asm-generic table, <asm-generic/unistd.h>")
    lines = ["/*",
             "** %s syscall numbers by name (from %s by" % (arch, src),
             "** tools/gen_sysnames.py), so that one raw_syscalls event can stand for many",
             "** syscalls:sys_enter_NAME events.",
             "*/",
             "#include <string.h>",
             "",
             '#include "arch.h"',
             "",
             "static const struct { const char *name; int nr; } nrs[] = {"]
    lines += ['\t{ "%s", %d },' % (n, nr) for n, nr in rows]
    lines += ["};",
              "",
              "int arch_syscall_nr(const char *name)",
              "{",
              "\t/* tracefs calls a few of them by the kernel's function name */",
              '\tstatic const char *const renamed[][2] = { { "newfstat", "fstat" }, { "newstat", "stat" },',
              '\t\t{ "newlstat", "lstat" }, { "newuname", "uname" }, { "sendfile64", "sendfile" } };',
              "\tfor (size_t i = 0; i < sizeof renamed / sizeof renamed[0]; i++)",
              "\t\tif (!strcmp(name, renamed[i][0]))",
              "\t\t\tname = renamed[i][1];",
              "\tfor (size_t i = 0; i < sizeof nrs / sizeof nrs[0]; i++)",
              "\t\tif (!strcmp(nrs[i].name, name))",
              "\t\t\treturn nrs[i].nr;",
              "\treturn -1;",
              "}",
              "",
              "const char *arch_syscall_name(int nr)",
              "{",
              "\tfor (size_t i = 0; i < sizeof nrs / sizeof nrs[0]; i++)",
              "\t\tif (nrs[i].nr == nr)",
              "\t\t\treturn nrs[i].name;",
              "\treturn NULL;",
              "}",
              "",
              "const struct arch_oflags *arch_open_flags(void)",
              "{",
              "\tstatic const struct arch_oflags f = { 0%o, 0%o, 0%o, 0%o };" % OFLAGS[arch],
              "",
              "\treturn &f;",
              "}",
              ""]
    path = os.path.join(ROOT, "arch", arch, "sysnames.c")
    with open(path, "w") as f:
        f.write("\n".join(lines))
    print("wrote %s (%d syscalls)" % (os.path.normpath(path), len(rows)), file=sys.stderr)


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("x86_64", "aarch64"):
        sys.exit("usage: tools/gen_sysnames.py x86_64|aarch64 [HEADER]")
    write(sys.argv[1], table(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None))


main()
