/*
** A minimal unit-test harness (uftrace's TEST_CASE spirit): CHECK records a failure with
** its line and goes on; unit_done() prints "N passed, N failed" and gives the exit code.
*/
#ifndef USTAP_UNIT_H
#define USTAP_UNIT_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int unit_pass, unit_fail;

#define CHECK(cond) do { if (cond) unit_pass++; else { unit_fail++; \
	fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECK_L(got, want) do { int64_t g_ = (got), w_ = (want); if (g_ == w_) unit_pass++; \
	else { unit_fail++; fprintf(stderr, "%s:%d: %s: got %" PRId64 ", want %" PRId64 "\n", \
	__FILE__, __LINE__, #got, g_, w_); } } while (0)
#define CHECK_S(got, want) do { const char *g_ = (got), *w_ = (want); \
	if (g_ && strcmp(g_, w_) == 0) unit_pass++; else { unit_fail++; \
	fprintf(stderr, "%s:%d: %s:\n got: [%s]\nwant: [%s]\n", __FILE__, __LINE__, #got, \
	g_ ? g_ : "(null)", w_); } } while (0)

static inline int unit_done(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, unit_pass, unit_fail);
	return unit_fail ? 1 : 0;
}

#endif
