# stap semantics: process("PATH") without -x/-c reaches every running process of the binary.
# SIGUSR1 makes the master reopen its logs and tell each worker to do the same, so
# ngx_reopen_files runs once in the master and once in each of the 2 workers.
. ./nginx.bash
ngx_start
"$USTAP" -e 'global n
probe process("/usr/sbin/nginx").function("ngx_reopen_files") { n[pid()]++ }
probe begin { printf("ready\n") }
probe end { foreach (p+ in n) printf("%d %d\n", p, n[p]) }' > "$TMPDIR/ustap.out" 2> "$TMPDIR/ustap.err" 8>&- &
u=$!
wait_for "$TMPDIR/ustap.out" ready
before=$(ngx_workers)
kill -USR1 "$NGX_MASTER"
for i in $(seq 50); do
	[ "$(grep -c reopening "$NGX_DIR/logs/error.log")" -ge 3 ] && break
	sleep 0.1
done
sleep 0.3
kill -INT $u
wait $u || fail "ustap exit $?: $(cat "$TMPDIR/ustap.err")"
want=$(printf '%s\n' "$NGX_MASTER" $before | sort -n | sed 's/$/ 1/')
[ "$(grep -v ready "$TMPDIR/ustap.out")" = "$want" ] || fail "hits: $(cat "$TMPDIR/ustap.out"), want: $want"
ngx_ok 5
[ "$(ngx_workers)" = "$before" ] || fail "workers changed: $before -> $(ngx_workers)"
echo ok
