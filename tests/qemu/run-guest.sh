#!/bin/sh
# Boot Debian's kernel (kprobes on) in a qemu guest with a busybox initramfs that carries
# ustap, its shared libraries, the tapset, the test targets and the kernel tests; run
# tests/qemu/guest/*.stp (kprobes) and tests/stp/kernel/*.stp (tracepoints on a second kernel)
# inside; print each result and "N passed, N failed, N skipped"; power off.
#   tests/qemu/run-guest.sh BUILD_DIR     (exit 0 when every guest test passed; 77: no qemu)
# QEMU_TIMEOUT (default 400 s) bounds the whole boot, under TCG (QEMU_KVM=1: try KVM first).
set -u
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-build}
case $BUILD in /*) ;; *) BUILD=$SRCDIR/$BUILD ;; esac
QEMU=$(command -v qemu-system-x86_64) || { echo "skipped: qemu-system-x86_64 not installed"; exit 77; }
KERNEL=$(ls /boot/vmlinuz-*-amd64 2>/dev/null | sort -V | tail -1)
[ -n "$KERNEL" ] || { echo "skipped: no Debian kernel (apt-get install linux-image-amd64)"; exit 77; }
BUSYBOX=$(command -v busybox) || { echo "skipped: no busybox (apt-get install busybox-static)"; exit 77; }
command -v cpio > /dev/null || { echo "skipped: no cpio"; exit 77; }
[ -x "$BUILD/ustap" ] || { echo "run-guest: no $BUILD/ustap" >&2; exit 2; }

WORK=$(mktemp -d /tmp/ustap-qemu.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
R=$WORK/root
mkdir -p $R/bin $R/proc $R/sys $R/dev $R/tmp $R/etc $R/ustap/build/tests/targets $R/ustap/tests
cp "$BUSYBOX" $R/bin/busybox
# a file and its shared libraries at the same paths inside
copy_elf() {
	mkdir -p "$R$(dirname "$1")"
	cp -L "$1" "$R$1"
	ldd "$1" 2>/dev/null | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^\t\(\/[^ ]*\) .*/\1/p' | while read -r lib; do
		[ -e "$R$lib" ] && continue
		mkdir -p "$R$(dirname "$lib")"
		cp -L "$lib" "$R$lib"
	done
}
copy_elf "$BUILD/ustap"
cp "$BUILD/ustap" $R/ustap/build/ustap
for t in "$BUILD"/tests/targets/ks_*; do
	[ -x "$t" ] && copy_elf "$t" && cp "$t" $R/ustap/build/tests/targets/
done
cp -r "$SRCDIR/tapset" $R/ustap/tapset
cp -r "$SRCDIR/tests/qemu/guest" $R/ustap/tests/guest
cp -r "$SRCDIR/tests/stp/kernel" $R/ustap/tests/kernel
echo ustap-guest > $R/etc/hostname
cat > $R/init <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc none /proc; mount -t sysfs none /sys; mount -t devtmpfs none /dev
mount -t tmpfs none /tmp
mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
echo "guest: $(uname -r), kprobe PMU: $(cat /sys/bus/event_source/devices/kprobe/type 2>/dev/null || echo none)"
U=/ustap/build/ustap; TARGETS=/ustap/build/tests/targets; export TARGETS
# A SAN=1 build runs here as on the host: no leak report (arenas are freed by exit, on purpose).
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1
pass=0; fail=0; skip=0
for f in /ustap/tests/guest/*.stp /ustap/tests/kernel/*.stp; do
	d=${f%/*}; b=${f##*/}; b=${b%.stp}; name=${d##*/}/$b
	if [ -f $d/$b.skip-if ] && (cd $d && sh $b.skip-if) >/dev/null 2>&1; then
		echo "SKIP $name"; skip=$((skip + 1)); continue
	fi
	args=""; [ -f $d/$b.cmd ] && args=$(cat $d/$b.cmd)
	want=0; [ -f $d/$b.exit ] && want=$(cat $d/$b.exit)
	(cd $d && eval timeout 120 $U $b.stp $args) > /tmp/out 2> /tmp/err; rc=$?
	exp=$d/$b.expected; [ -f $exp ] || exp=/dev/null
	if [ $rc = $want ] && cmp -s $exp /tmp/out &&
	   { [ ! -f $d/$b.stderr.grep ] || grep -q -E -f $d/$b.stderr.grep /tmp/err; }; then
		echo "PASS $name"; pass=$((pass + 1))
	else
		echo "FAIL $name (exit $rc)"; diff $exp /tmp/out | head -10; head -5 /tmp/err
		fail=$((fail + 1))
	fi
done
# -L of a kernel function: its parameters from BTF, as stap prints DWARF ones
want='kernel.function("do_sys_openat2") $dfd:int $filename:char const* $how:struct open_how*'
got=$($U -L 'kernel.function("do_sys_openat2")' 2>&1)
if [ "$got" = "$want" ]; then echo "PASS guest/kprobe_listvars"; pass=$((pass + 1))
else echo "FAIL guest/kprobe_listvars"; echo "  got: $got"; fail=$((fail + 1)); fi
# -l/-L of the dwarfless kprobe family: the point as written, no $vars (stap's kprobe.* has none)
got=$($U -l 'kprobe.function("do_sys_openat2").return' 2>&1; $U -L 'kprobe.function("do_sys_openat2")' 2>&1)
if [ "$got" = 'kprobe.function("do_sys_openat2").return
kprobe.function("do_sys_openat2")' ]; then echo "PASS guest/kprobe_dwarfless_list"; pass=$((pass + 1))
else echo "FAIL guest/kprobe_dwarfless_list"; echo "  got: $got"; fail=$((fail + 1)); fi
echo "GUEST-RESULT: $pass passed, $fail failed, $skip skipped"
poweroff -f
INIT
chmod +x $R/init
(cd $R && find . | cpio -o -H newc 2>/dev/null | gzip -1) > $WORK/initrd.gz

# TCG by default: nested KVM here hangs at "Booting from ROM" (QEMU_KVM=1 to try it)
ACCEL="-accel tcg"
if [ -n "${QEMU_KVM:-}" ]; then ACCEL="-accel kvm -accel tcg"; fi
timeout -k 5 "${QEMU_TIMEOUT:-400}" "$QEMU" $ACCEL -m 512 -smp 2 -nographic -no-reboot \
	-kernel "$KERNEL" -initrd $WORK/initrd.gz \
	-append 'console=ttyS0 quiet loglevel=3 panic=-1 rdinit=/init' > $WORK/console 2>&1
rc=$?
tr -d '\r' < $WORK/console | grep -E '(guest:|^PASS|^FAIL|^SKIP|^GUEST-RESULT|^[-+@<> ])' 
line=$(tr -d '\r' < $WORK/console | grep '^GUEST-RESULT:')
[ -n "$line" ] || { echo "run-guest: no result from the guest (qemu exit $rc)"; tr -d '\r' < $WORK/console | tail -20; exit 1; }
case "$line" in *" 0 failed"*) exit 0 ;; *) exit 1 ;; esac
