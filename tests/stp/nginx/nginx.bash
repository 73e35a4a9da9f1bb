# Helpers for the nginx tests (sourced): a private nginx (master + 2 workers) on a loopback port,
# with its prefix, config, logs and pid file under $TMPDIR. Never port 80, never a public address.
. "$SRCDIR/tests/lib.bash"
NGINX=/usr/sbin/nginx
NGX_DIR=$TMPDIR/nginx

# ngx_start: write the config, start nginx, wait until it answers; sets NGX_PORT, NGX_MASTER
ngx_start() {
	# process("/usr/sbin/nginx") reaches every nginx on the machine, and ptrace allows one
	# tracer per process: one nginx test at a time (children get 8>&-, so only this shell holds it)
	# (NGX_LOCKED=1: the test took it already, before starting a ustap that reaches every nginx)
	if [ -z "$NGX_LOCKED" ]; then
		exec 8> /tmp/ustap-nginx.lock
		flock 8
	fi
	mkdir -p "$NGX_DIR/logs" "$NGX_DIR/html" "$NGX_DIR/tmp"
	echo "hello from ustap" > "$NGX_DIR/html/index.html"
	NGX_PORT=$(( 20000 + ($$ % 20000) ))
	cat > "$NGX_DIR/nginx.conf" <<CONF
master_process on;
worker_processes 2;
daemon on;
pid $NGX_DIR/nginx.pid;
error_log $NGX_DIR/logs/error.log;
events { worker_connections 64; }
http {
	access_log $NGX_DIR/logs/access.log;
	client_body_temp_path $NGX_DIR/tmp/body;
	proxy_temp_path $NGX_DIR/tmp/proxy;
	fastcgi_temp_path $NGX_DIR/tmp/fastcgi;
	uwsgi_temp_path $NGX_DIR/tmp/uwsgi;
	scgi_temp_path $NGX_DIR/tmp/scgi;
	server {
		listen 127.0.0.1:$NGX_PORT;
		root $NGX_DIR/html;
	}
}
CONF
	"$NGINX" -p "$NGX_DIR" -c "$NGX_DIR/nginx.conf" -g "user root;" 8>&- || fail "nginx did not start"
	local i
	# NGX_WAIT: tenths of a second to wait for it to serve with both workers (a slow start:
	# every function probed, or a sanitizer build of ustap)
	for i in $(seq "${NGX_WAIT:-50}"); do
		[ -s "$NGX_DIR/nginx.pid" ] && ngx_get / >/dev/null 2>&1 &&
			NGX_MASTER=$(cat "$NGX_DIR/nginx.pid") && [ "$(ngx_workers | wc -l)" = 2 ] && break
		sleep 0.1
	done
	NGX_MASTER=$(cat "$NGX_DIR/nginx.pid")
	[ "$(ngx_workers | wc -l)" = 2 ] || fail "nginx has not 2 workers: $(ngx_workers)
$(ps -eo pid,ppid,stat,wchan:24,etime,time,args | grep -E '[n]ginx|[u]stap' | head -20)
$(tail -5 "$NGX_DIR/logs/error.log" 2>/dev/null)
$(for p in $(pgrep -x nginx); do echo "$p: $(grep -E '^(State|TracerPid|SigPnd|ShdPnd|SigBlk)' /proc/$p/status | tr '\n' ' ')"; done)"
	trap ngx_stop EXIT
}

# ngx_workers: the worker pids, one per line
ngx_workers() { pgrep -P "$NGX_MASTER" -x nginx | sort -n; }

# ngx_get PATH: one HTTP/1.0 request through bash's /dev/tcp; prints the response
ngx_get() {
	exec 9<>"/dev/tcp/127.0.0.1/$NGX_PORT" || return 1
	printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$1" >&9
	cat <&9
	exec 9<&-
}

# ngx_ok N: N requests, each must get a 200 with the page
ngx_ok() {
	local i
	for i in $(seq "$1"); do
		ngx_get / | grep -q 'hello from ustap' || fail "request $i failed"
	done
}

ngx_stop() {
	[ -n "$NGX_MASTER" ] && kill -QUIT "$NGX_MASTER" 2>/dev/null
	local i
	for i in $(seq 50); do
		kill -0 "$NGX_MASTER" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$NGX_MASTER" 2>/dev/null
	return 0
}
