/*
** Event names through libpfm4 (perf.hw.NAME / perf.sw.NAME that stap's table lacks). Kept in
** its own file: libpfm4's perfmon/perf_event.h clashes with <linux/perf_event.h>.
*/
#include <stdint.h>
#include <stdio.h>
#include <perfmon/pfmlib_perf_event.h>

int ks_pfm_event(const char *name, uint32_t *type, uint64_t *config);

int ks_pfm_event(const char *name, uint32_t *type, uint64_t *config)
{
	struct perf_event_attr a = { 0 };
	pfm_perf_encode_arg_t arg = { 0 };
	char buf[128];

	if (pfm_initialize() != PFM_SUCCESS)
		return -1;
	arg.attr = &a;
	arg.size = sizeof arg;
	for (int pass = 0; pass < 2; pass++) {
		snprintf(buf, sizeof buf, "%s", name);
		if (pass)   /* stap-style page_faults -> perf-style page-faults */
			for (char *p = buf; *p; p++)
				if (*p == '_')
					*p = '-';
		if (pfm_get_os_event_encoding(buf, PFM_PLM0 | PFM_PLM3, PFM_OS_PERF_EVENT, &arg) == PFM_SUCCESS) {
			*type = a.type;
			*config = a.config;
			return 0;
		}
	}
	return -1;
}
