/*
** ustap's command line (stap's option names, messages and exit codes: session.cxx
** parse_cmdline/check_options) and the run: load the script, list (-l/-L), arm, begin,
** loop, and the one cleanup every exit path goes through (sess_finish).
*/
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <elfutils/libdwfl.h>

#include "lang.h"
#include "list.h"
#include "provider.h"
#include "session.h"
#include "target.h"

#ifndef USTAP_TAPSET_DIR
#define USTAP_TAPSET_DIR "/usr/local/share/ustap/tapset"
#endif
#define USTAP_VERSION "0.1"

enum {
	OPT_VP = 256, OPT_HELP, OPT_VERSION, OPT_LDD, OPT_SUPPRESS_TIME_LIMITS, OPT_COMPATIBLE,
	OPT_SUPPRESS_HANDLER_ERRORS, OPT_SKIP_BADVARS, OPT_PROLOGUE, OPT_SERVER_ON_ERROR, OPT_NO_CACHE,
};

static const struct option long_opts[] = {
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "vp", required_argument, NULL, OPT_VP },
	{ "ldd", no_argument, NULL, OPT_LDD },
	{ "suppress-time-limits", no_argument, NULL, OPT_SUPPRESS_TIME_LIMITS },
	{ "compatible", required_argument, NULL, OPT_COMPATIBLE },
	{ "suppress-handler-errors", no_argument, NULL, OPT_SUPPRESS_HANDLER_ERRORS },
	{ "skip-badvars", no_argument, NULL, OPT_SKIP_BADVARS },
	{ "prologue-searching", optional_argument, NULL, OPT_PROLOGUE },
	{ "use-server-on-error", optional_argument, NULL, OPT_SERVER_ON_ERROR },
	{ "disable-cache", no_argument, NULL, OPT_NO_CACHE },
	{ "poison-cache", no_argument, NULL, OPT_NO_CACHE },
	{ NULL, 0, NULL, 0 },
};

static void version(void)
{
	printf("Systemtap translator/driver (version %s/%s, ustap version %s)\n"
	       "ustap: SystemTap scripts run in user space, without a kernel module\n"
	       "This is free software; see the source for copying conditions.\n"
	       "enabled features: PTRACE PERF_EVENT\n",
	       "4.8", dwfl_version(NULL), USTAP_VERSION);
}

static void usage(void)
{
	version();
	printf("\n"
	"Usage: ustap [options] FILE                    Run script in file.\n"
	"   or: ustap [options] -                       Run script on stdin.\n"
	"   or: ustap [options] -e SCRIPT               Run given script.\n"
	"   or: ustap [options] -l PROBE                List matching probes.\n"
	"   or: ustap [options] -L PROBE                List matching probes and local variables.\n"
	"\n"
	"Options:\n"
	"   --         end of translator options, script options follow\n"
	"   -h --help  show help\n"
	"   -V --version\n"
	"              show version\n"
	"   -p NUM     stop after pass NUM 1-5, instead of 5\n"
	"              (parse, elaborate, translate, compile, run)\n"
	"   -v         add verbosity to all passes\n"
	"   --vp {N}+  add per-pass verbosity [00000]\n"
	"   -u         unoptimized translation\n"
	"   -w         suppress warnings\n"
	"   -g         guru mode\n"
	"   -I DIR     look in DIR for additional .stp script files, in addition to\n"
	"              the tapset directory\n"
	"   -D NM=VAL  set a runtime limit (MAXSTRINGLEN, MAXMAPENTRIES, MAXACTION,\n"
	"              MAXNESTING, MAXERRORS, MAXSKIPPED, MAXBACKTRACE)\n"
	"   -o FILE    send script output to file, instead of stdout. This supports\n"
	"              strftime(3) formats for FILE\n"
	"   -c CMD     start the probes, run CMD, and exit when it finishes\n"
	"   -x PID     sets target() to PID\n"
	"   -S size[,n] set maximum of the size and the number of files.\n"
	"   -d OBJECT  add unwind/symbol data for OBJECT file\n"
	"   --ldd      add unwind/symbol data for referenced user-space objects.\n"
	"   -T TIME    terminate the script after TIME seconds\n"
	"   --suppress-time-limits\n"
	"              disable -DMAXACTION limits\n"
	"   -G VAR=VAL set global variable to value\n"
	"   -t         collect probe timing information\n"
	"   -W         turn warnings into errors\n"
	"   -b         bulk (percpu file) mode: with -o FILE, FILE_cpu0 in stap's record format\n"
	"   --compatible=VERSION\n"
	"              suppress incompatible language/tapset changes beyond VERSION\n"
	"   --suppress-handler-errors\n"
	"              catch all runtime errors, quietly skip probe handlers\n"
	"   --skip-badvars\n"
	"              substitute zero for bad context $variables\n"
	"   -m MODULE, -r RELEASE, -F\n"
	"              kernel module options: ustap builds no module (see ustap(1))\n");
}

/* stap's usage(1): a short pointer to --help, exit 1 */
static int bad_usage(void)
{
	fprintf(stderr, "Try '--help' for more information. [man ustap]\n"
	        "A message like [man foo] means for more info, run %% man foo\n");
	return 1;
}

/* stap's assert_regexp_match (case-insensitive, as stap's). */
static bool safe_pattern(const char *what, const char *val, const char *pat)
{
	regex_t re;
	int rc = regcomp(&re, pat, REG_EXTENDED | REG_NOSUB | REG_ICASE);
	if (rc == 0)
		rc = regexec(&re, val, 0, NULL, 0);
	regfree(&re);
	if (rc)
		fprintf(stderr, "ERROR: Safety pattern mismatch for %s ('%s' vs. '%s') rc=%d\n", what,
		        val, pat, rc);
	return rc == 0;
}

static void push(const char ***v, int *n, const char *x)
{
	*v = realloc(*v, (*n + 1) * sizeof(**v));
	if (!*v)
		abort();
	(*v)[(*n)++] = x;
}

/* -D NAME[=VAL]: stap's limits land in s->lim; every define stays in opt.defines. A limit
   must be a number the run can honour (stap would fail compiling its module instead):
   0, or 1 after a message. */
static int apply_define(struct session *s, const char *d)
{
	static const struct { const char *name; size_t off; } lims[] = {
		{ "MAXSTRINGLEN", offsetof(struct limits, maxstringlen) },
		{ "MAXMAPENTRIES", offsetof(struct limits, maxmapentries) },
		{ "MAXACTION", offsetof(struct limits, maxaction) },
		{ "MAXNESTING", offsetof(struct limits, maxnesting) },
		{ "MAXERRORS", offsetof(struct limits, maxerrors) },
		{ "MAXSKIPPED", offsetof(struct limits, maxskipped) },
		{ "MAXBACKTRACE", offsetof(struct limits, maxbacktrace) },
		{ "MAXTRACEQUEUE", offsetof(struct limits, maxtracequeue) },
	};
	const char *eq = strchr(d, '=');
	size_t nl = eq ? (size_t)(eq - d) : strlen(d);
	for (size_t i = 0; i < sizeof lims / sizeof lims[0]; i++) {
		if (strlen(lims[i].name) != nl || strncmp(lims[i].name, d, nl) || !eq)
			continue;
		/* MAXSTRINGLEN sizes every string slot: keep it where allocations stay sane */
		long long max = i == 0 ? 1 << 20 : INT_MAX, min = i == 0 ? 1 : LLONG_MIN;
		char *end;
		errno = 0;
		long long v = strtoll(eq + 1, &end, 0);
		if (errno || *end || end == eq + 1 || v < min || v > max) {
			fprintf(stderr, "ERROR: Invalid -D %s value '%s' (a number up to %lld)\n",
			        lims[i].name, eq + 1, max);
			return 1;
		}
		*(int64_t *)((char *)&s->lim + lims[i].off) = v;
	}
	push(&s->opt.defines, &s->opt.ndefines, d);
	return 0;
}

static int opt_x(struct session *s, const char *arg)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);
	if (*end != '\0' || v > INT_MAX) {
		fprintf(stderr, "Invalid target process ID number.\n");
		return 1;
	}
	s->opt.target_pid = (int)v;
	return 0;
}

static int opt_list(struct session *s, const char *arg, bool vars)
{
	if (s->opt.list) {
		fprintf(stderr, "ERROR: only one of the -l/-L/--dump-* switches may be specified\n");
		return 1;
	}
	s->opt.list = arg;
	s->opt.list_vars = vars;
	s->opt.no_warn = true;
	if (vars)
		s->opt.unoptimized = true;
	return 0;
}

static int opt_vp(struct session *s, const char *arg)
{
	size_t n = strlen(arg);
	bool ok = n >= 1 && n <= 5;
	for (size_t i = 0; ok && i < n; i++)
		ok = isdigit((unsigned char)arg[i]);
	if (!ok) {
		fprintf(stderr, "Invalid --vp argument: it takes 1 to 5 digits.\n");
		return 1;
	}
	/* one verbosity for all passes here: the highest digit */
	for (size_t i = 0; i < n; i++)
		if (arg[i] - '0' > s->opt.verbose)
			s->opt.verbose = arg[i] - '0';
	return 0;
}

/* --compatible=VERSION: stap refuses a version newer than its own (strverscmp). */
static int opt_compatible(struct session *s, const char *arg)
{
	if (strverscmp(arg, "4.8") > 0) {
		fprintf(stderr, "ERROR: systemtap version %s cannot be compatible with future "
		        "version %s\n", "4.8", arg);
		return 1;
	}
	s->opt.compatible = arg;
	return 0;
}

/* -r RELEASE or -r /DIR: stap builds the module for that kernel. ustap builds none and runs
   on this kernel: the running release is accepted, anything else refused. */
static int opt_release(const char *arg)
{
	struct utsname u;
	if (uname(&u) == 0 && !strcmp(arg, u.release))
		return 0;
	fprintf(stderr, "ERROR: -r %s: ustap builds no kernel module, it runs the script on the "
	        "running kernel (%s) only\n", arg, uname(&u) == 0 ? u.release : "?");
	return 1;
}

/* Options that only shape stap's kernel module. */
static int opt_module_only(struct session *s, int c, const char *arg)
{
	switch (c) {
	case 'm':   /* the module's name: there is none to name, but stap's checks hold */
		if (!*arg) {
			fprintf(stderr, "Module name cannot be empty.\n");
			return 1;
		}
		if (!safe_pattern("-m parameter", arg, "^[a-z0-9_]+$"))
			return 1;
		if (!s->opt.no_warn)
			fprintf(stderr, "WARNING: -m %s: ustap builds no kernel module; the name is "
			        "ignored\n", arg);
		return 0;
	case 'F':   /* flight recorder: a module that stays loaded with nobody attached */
		fprintf(stderr, "ERROR: -F (flight recorder mode) needs a kernel module that stays "
		        "loaded; ustap runs in the foreground only (use -o FILE, -S SIZE,N)\n");
		return 1;
	case 'r':
		return opt_release(arg);
	default:    /* 'b': bulk percpu transport; ustap has one output stream, "cpu 0" */
		s->opt.bulk = true;
		return 0;
	}
}

/* One option: 0 ok, 1 error (message printed), 2 done (--help/--version: exit 0). */
static int one_option(struct session *s, int c, const char *arg)
{
	char *end;
	switch (c) {
	case 'h': case OPT_HELP: usage(); return 2;
	case 'V': case OPT_VERSION: version(); return 2;
	case 'v': s->opt.verbose++; return 0;
	case OPT_VP: return opt_vp(s, arg);
	case 'w': s->opt.no_warn = true; return 0;
	case 'u': s->opt.unoptimized = true; return 0;
	case 'g': s->opt.guru = true; return 0;
	case OPT_LDD: s->opt.ldd = true; return 0;
	case OPT_SUPPRESS_TIME_LIMITS: s->opt.suppress_time_limits = true; return 0;
	case 'I': push(&s->opt.includes, &s->opt.nincludes, arg); return 0;
	case 'o': s->opt.outfile = arg; return 0;
	case 'p': {
		long p = strtol(arg, &end, 10);
		if (*end != '\0' || p < 1 || p > 5) {
			fprintf(stderr, "Invalid pass number (should be 1-5).\n");
			return 1;
		}
		s->opt.pass = p == 5 ? 0 : (int)p;
		return 0;
	}
	case 'e':
		if (s->opt.script_text) {
			fprintf(stderr, "Only one script can be given on the command line.\n");
			return 1;
		}
		s->opt.script_text = arg;
		return 0;
	case 'd':
		if (!*arg) {
			fprintf(stderr, "Data object (-d) cannot be empty.\n");
			return 1;
		}
		push(&s->opt.debuginfo, &s->opt.ndebuginfo, arg);
		return 0;
	case 'c':
		if (!*arg) {
			fprintf(stderr, "Empty CMD string invalid.\n");
			return 1;
		}
		s->opt.cmd = arg;
		return 0;
	case 'x': return opt_x(s, arg);
	case 'D':
		if (!safe_pattern("-D parameter", arg, "^[a-z_][a-z_0-9]*(=-?[a-z_0-9]+)?$"))
			return 1;
		return apply_define(s, arg);
	case 'S':
		if (!safe_pattern("-S parameter", arg, "^[0-9]+(,[0-9]+)?$"))
			return 1;
		s->opt.out_size = strtoll(arg, &end, 10);
		s->opt.out_count = *end == ',' ? atoi(end + 1) : 0;
		return 0;
	case 'T': {
		double t = strtod(arg, &end);
		if (*end != '\0' || (int)(1000 * t) < 1) {
			fprintf(stderr, "Invalid timeout interval.\n");
			return 1;
		}
		s->opt.timeout = t;
		return 0;
	}
	case 'G':
		if (!safe_pattern("-G parameter", arg, "^[a-z_][a-z0-9_]*=[a-z0-9_.-]+$"))
			return 1;
		push(&s->opt.gsets, &s->opt.ngsets, arg);
		return 0;
	case 't': s->opt.timing = true; return 0;
	case 'W': s->opt.warn_error = true; return 0;
	case 'b': case 'm': case 'F': case 'r': return opt_module_only(s, c, arg);
	case OPT_COMPATIBLE: return opt_compatible(s, arg);
	case OPT_SUPPRESS_HANDLER_ERRORS: s->opt.suppress_handler_errors = true; return 0;
	case OPT_SKIP_BADVARS: s->opt.skip_badvars = true; return 0;
	case 'P': s->opt.prologue = 1; return 0;   /* tracer/dwarf.c dw_probe_pc */
	case OPT_PROLOGUE:
		if (!arg || !strcmp(arg, "always") || !strcmp(arg, "auto") || !strcmp(arg, "never")) {
			s->opt.prologue = !arg || arg[1] == 'l' ? 1 : arg[1] == 'u' ? 0 : 2;
			return 0;
		}
		fprintf(stderr, "Invalid argument '%s' for --prologue-searching.\n", arg);
		return 1;
	case OPT_SERVER_ON_ERROR:   /* stap retries a failed build on a compile server: none here */
		if (arg && strcasecmp(arg, "yes") && strcasecmp(arg, "ye") && strcasecmp(arg, "y") &&
		    strcasecmp(arg, "no") && strcasecmp(arg, "n"))   /* stap says so and goes on */
			fprintf(stderr, "Invalid argument '%s' for --use-server-on-error.\n", arg);
		return 0;
	case OPT_NO_CACHE: return 0;   /* --disable-cache, --poison-cache: nothing is cached */
	case 'l': return opt_list(s, arg, false);
	case 'L': return opt_list(s, arg, true);
	default:   /* '?': getopt already said what was wrong */
		return bad_usage();
	}
}

/* Options, then stap's check_options: the script (file, '-' or -e) and its arguments. */
static int parse_args(struct session *s, int argc, char **argv)
{
	argv[0] = (char *)"ustap";   /* getopt's messages name the program as stap's do */
	int c;
	while ((c = getopt_long(argc, argv, "hVvp:I:e:o:c:x:D:uwgl:d:L:S:T:G:tWbm:Fr:P", long_opts, NULL)) != -1) {
		int r = one_option(s, c, optarg);
		if (r == 2)
			return 0;
		if (r)
			return 1;
	}
	bool have_script = s->opt.script_text != NULL;
	for (int i = optind; i < argc; i++) {
		if (!have_script && !s->opt.list) {
			s->opt.script_file = argv[i];
			have_script = true;
		} else {
			push((const char ***)&s->opt.args, &s->opt.nargs, argv[i]);
		}
	}
	if (!have_script && !s->opt.list) {
		fprintf(stderr, "A script must be specified.\n");
		return bad_usage();
	}
	if (s->opt.list && have_script) {
		fprintf(stderr, "Cannot specify a script with -l/-L/--dump-* switches.\n");
		return bad_usage();
	}
	if (s->opt.list && s->opt.pass) {
		fprintf(stderr, "Cannot specify -p with -l/-L/--dump-* switches.\n");
		return bad_usage();
	}
	if (s->opt.cmd && s->opt.target_pid) {
		fprintf(stderr, "You can't specify the '-c' and '-x' options together.\n");
		return 1;
	}
	if (s->opt.suppress_time_limits)
		s->lim.maxaction = 0;   /* <= 0: unlimited */
	if (s->opt.suppress_handler_errors)   /* stap: neither limit is enforced */
		s->lim.maxerrors = s->lim.maxskipped = INT64_MAX;
	s->diag.verbose = s->opt.verbose;
	s->diag.no_warn = s->opt.no_warn;
	return -1;
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* $USTAP_TAPSET or $SYSTEMTAP_TAPSET, else tapset/ beside the binary (a build tree: ./ustap, build-x/ustap),
   else the installed one. */
static const char *find_tapset(struct session *s)
{
	const char *env = getenv("USTAP_TAPSET");
	if (!env || !*env)
		env = getenv("SYSTEMTAP_TAPSET");   /* stap's own variable */
	if (env && *env)
		return env;
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			const char *cand[] = { "%s/tapset", "%s/../tapset", "%s/../share/ustap/tapset" };
			for (int i = 0; i < 3; i++) {
				char *p = arena_printf(&s->arena, cand[i], exe), real[PATH_MAX];
				if (is_dir(p))
					return realpath(p, real) ? arena_strdup(&s->arena, real) : p;
			}
		}
	}
	return USTAP_TAPSET_DIR;
}

static int arm_all(struct session *s)
{
	for (int i = 0; prov_all[i]; i++)
		if (prov_all[i]->arm && prov_all[i]->arm(s) < 0)
			return -1;
	return 0;
}

static int64_t ms_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000 + (b->tv_nsec - a->tv_nsec) / 1000000;
}

/* Pass 5 as stap -v reports it: "Pass 5: run completed in 0usr/0sys/1003real ms." */
static int run(struct session *s)
{
	struct tms t0, t1;
	struct timespec r0, r1;
	times(&t0);
	clock_gettime(CLOCK_MONOTONIC, &r0);
	if (s->opt.verbose)
		fprintf(stderr, "Pass 5: starting run.\n");
	if (sess_open_output(s) || sess_start(s))
		return 1;
	if (tgt_start(s) || arm_all(s) < 0) {
		s->exit_code = 1;
		return sess_abort(s);
	}
	core_run(s, CORE_BEGIN);
	tgt_release(s);
	if (!s->exiting)
		sess_loop(s);
	int rc = sess_finish(s);
	if (s->opt.verbose) {
		times(&t1);
		clock_gettime(CLOCK_MONOTONIC, &r1);
		long tck = sysconf(_SC_CLK_TCK);
		fprintf(stderr, "Pass 5: run completed in %ldusr/%ldsys/%ldreal ms.\n",
		        (long)((t1.tms_utime + t1.tms_cutime - t0.tms_utime - t0.tms_cutime) * 1000 / tck),
		        (long)((t1.tms_stime + t1.tms_cstime - t0.tms_stime - t0.tms_cstime) * 1000 / tck),
		        (long)ms_between(&r0, &r1));
	}
	/* stap: "run completed in ..." (-v), then the failure */
	if (s->errors || s->run_failed)
		fprintf(stderr, "Pass 5: run failed.  [man error::pass5]\n");
	return rc;
}

int main(int argc, char **argv)
{
	struct session *s = malloc(sizeof(*s));   /* the one session, passed explicitly */
	if (!s)
		return 1;
	sess_init(s);
	int rc = parse_args(s, argc, argv);
	if (rc >= 0)
		return rc;
	s->opt.tapset_dir = find_tapset(s);
	if (s->opt.list)
		return list_run(s);
	rc = lang_load(s);
	if (!rc && !s->opt.pass)
		rc = run(s);
	lang_fini(s);
	sess_free(s);
	free(s);
	return rc;
}
