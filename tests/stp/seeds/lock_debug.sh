# Seed 004 (libvirt's examples/systemtap/lock-debug.stp, run unchanged as lock-debug.stp.seed):
# `stap --ldd -d /usr/sbin/libvirtd -c libvirtd lock-debug.stp /usr/lib/libvirt.so` against a
# libvirtd-like daemon (virt_daemon.c) linked with a libvirt.so (virt_lib.c) built here.
# Addresses and tids are replaced by names; libc's own frames (their names come from its
# debug symbols) are dropped, except that a thread's trace must reach start_thread.
# -D MAXSTRINGLEN=4096 (seed 000's advice): with the long test paths, sprint_usyms would drop
# the outer frames at the default 512 bytes, as stap's does.
. "$SRCDIR/tests/lib.bash"
d=$TMPDIR/virt
mkdir -p "$d"
gcc -g -O0 -fno-omit-frame-pointer -shared -fPIC -o "$d/libvirt.so" virt_lib.c || fail "cc lib"
gcc -g -O0 -fno-omit-frame-pointer -o "$d/libvirtd" virt_daemon.c -L"$d" -lvirt \
	-Wl,-rpath,"$d" -lpthread || fail "cc daemon"
"$USTAP" -D MAXSTRINGLEN=4096 --ldd -d "$d/libvirtd" -c "$d/libvirtd $d/tids" lock-debug.stp.seed "$d/libvirt.so" \
	> "$d/out" 2> "$d/err" || fail "ustap exit $?: $(cat "$d/err")"
# as stap: "probe lock.return" runs the alias body, whose $m is captured at the entry
diff - "$d/err" > /dev/null <<'ERR' || fail "stderr: $(cat "$d/err")"
WARNING: confusing usage, value is captured as @entry($m) in .return probe [man stapprobes] RETURN PROBES: identifier '$m' at lock-debug.stp.seed:41:25
 source:     lockname = usymdata($m)
                                 ^
ERR
n=$(grep -c 'start_thread+0x[0-9a-f]*/0x[0-9a-f]* \[/.*libc.so.6\]' "$d/out")
[ "$n" = 1 ] || fail "$n thread traces reach start_thread, want 1 (the cacheWorker lock trace)"
sed_args=()
while read -r who tid; do sed_args+=(-e "s/\\b$tid\\b/${who^^}_TID/g"); done < "$d/tids"
sed "${sed_args[@]}" -e "s|$d/||g" -e '/libc\.so\.6\]$/d' \
	-e 's/^ 0x[0-9a-f]* : \([A-Za-z_]*\)+0x[0-9a-f]*\/0x[0-9a-f]* /  \1 /' "$d/out"
