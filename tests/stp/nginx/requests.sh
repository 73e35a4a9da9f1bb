# ngx_http_process_request (a dynamic symbol of the stripped Debian binary) runs once per
# request: 12 requests give 12 hits, all in workers; nginx serves normally after ustap detaches.
. ./nginx.bash
ngx_start
before=$(ngx_workers)
"$USTAP" -e 'global n
probe process("/usr/sbin/nginx").function("ngx_http_process_request") { n[pid()]++ }
probe begin { printf("ready\n") }
probe end { foreach (p in n) printf("%d %d\n", p, n[p]) }' > "$TMPDIR/ustap.out" 2> "$TMPDIR/ustap.err" 8>&- &
u=$!
wait_for "$TMPDIR/ustap.out" ready
ngx_ok 12
kill -INT $u
wait $u || fail "ustap exit $?: $(cat "$TMPDIR/ustap.err")"
total=0
while read -r p c; do
	[ "$p" = ready ] && continue
	grep -qx "$p" <<<"$before" || fail "hit in $p, not a worker ($before)"
	total=$((total + c))
done < "$TMPDIR/ustap.out"
[ $total = 12 ] || fail "$total hits for 12 requests: $(cat "$TMPDIR/ustap.out")"
ngx_ok 20
[ "$(ngx_workers)" = "$before" ] || fail "workers changed: $before -> $(ngx_workers)"
echo ok
