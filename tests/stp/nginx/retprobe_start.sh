# ustap first, then nginx: the 4 Hz rescan finds nginx while it starts, often before _start
# ran (whose .return must not take argc for a return address: that made nginx fail with
# malloc(huge) or SIGSEGV), and follows the daemon fork and the workers. .call and .return on
# every function; nginx must start, serve and stop normally, three times.
. ./nginx.bash
exec 8> /tmp/ustap-nginx.lock   # ngx_start's lock, held from before ustap reaches every nginx
flock 8
NGX_LOCKED=1
NGX_WAIT=300   # every function probed from exec: start-up takes seconds (more under SAN=1)
"$USTAP" -e 'global c, r
probe process("/usr/sbin/nginx").function("*").call { c++ }
probe process("/usr/sbin/nginx").function("*").return { r++ }
probe begin { printf("ready\n") }
probe end { printf("calls and returns: %s\n", c > 0 && r > 0 ? "yes" : "no") }' \
	> "$TMPDIR/ustap.out" 2> "$TMPDIR/ustap.err" 8>&- &
u=$!
trap 'kill -INT $u 2>/dev/null; sleep 1; kill -KILL $u 2>/dev/null; ngx_stop' EXIT
wait_for "$TMPDIR/ustap.out" ready
for k in 1 2 3; do
	ngx_start
	trap 'kill -INT $u 2>/dev/null; sleep 1; kill -KILL $u 2>/dev/null; ngx_stop' EXIT
	ngx_ok 5
	ngx_stop
	bad=$(grep -E "exited on signal|emerg|alert" "$NGX_DIR/logs/error.log")
	[ -z "$bad" ] || fail "run $k: $bad"
	rm -f "$NGX_DIR/nginx.pid" "$NGX_DIR/logs/error.log"
	NGX_MASTER=
done
kill -INT $u
wait $u || fail "ustap exit $?: $(cat "$TMPDIR/ustap.err")"
# stap's one warning for function("*").return: _start's return is blocklisted (3 lines)
head -1 "$TMPDIR/ustap.err" | grep -qx 'WARNING: function _start return probe is blocklisted: keyword at <input>:3:1' ||
	fail "no blocklist warning: $(head -3 "$TMPDIR/ustap.err")"
[ "$(sed 1,3d "$TMPDIR/ustap.err")" ] && fail "ustap stderr: $(sed 1,3d "$TMPDIR/ustap.err" | head -3)"
grep -v ready "$TMPDIR/ustap.out"
echo ok
