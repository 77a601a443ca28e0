/*
 * hf__render_format_fixed is the flame SVG's "%.1f"/"%.2f" without printf
 * (hf__render_fixed_at, in place, the frames' own). Here both are checked
 * against snprintf itself: random doubles over many magnitudes
 * and both signs, exact halfway cases (k / 2^n, which round to even), values
 * a few ulps either side of them, the SVG's own coordinates (i * w / n),
 * zeros, subnormals, the 2^53 boundary, infinities and NaN, and truncation
 * into small buffers.
 */
#include "harness.h"
#include "render/render.h"

#include <math.h>
#include <stdlib.h>

static uint64_t rng = 88172645463325252ull;

static uint64_t next_random(void)
{
	return harness_xorshift64(&rng);
}

static size_t mismatches;

static void check_one(double v)
{
	for (int d = 0; d <= 3; d++) {
		char want[400], got[400];
		int wn = snprintf(want, sizeof(want), "%.*f", d, v);
		size_t gn = hf__render_format_fixed(got, sizeof(got), v, d);
		/* in place: the same bytes, its end returned, nothing after it but
		 * the NUL of snprintf's values */
		char at[HF__FIXED_MAX + 1];
		memset(at, 'x', sizeof(at));
		char *end = hf__render_fixed_at(at, v, d);
		if (end - at != wn || memcmp(at, want, (size_t)wn) != 0 ||
		    (at[wn] != 'x' && at[wn] != '\0'))
			gn = SIZE_MAX;
		if ((size_t)wn != gn || strcmp(want, got) != 0) {
			if (mismatches++ < 10)
				fprintf(stderr, "%.17g %%.%df: got \"%s\", want \"%s\"\n", v, d, got,
					want);
		}
	}
}

static void random_values(void)
{
	for (int i = 0; i < 100000; i++) {
		uint64_t r = next_random();
		double mant = (double)(r >> 11) / 9007199254740992.0; /* [0, 1) */
		int e = (int)(next_random() % 70) - 30;
		double v = ldexp(mant, e);
		check_one(v);
		check_one(-v);
	}
	CHECK_EQ_INT(mismatches, 0);
}

static void halfway_cases(void)
{
	/* k / 2^n: many are exact ties at 1, 2 or 3 decimals */
	for (int n = 0; n <= 12; n++)
		for (int k = 0; k < 5000; k++) {
			double v = ldexp((double)k, -n);
			check_one(v);
			check_one(-v);
			check_one(nextafter(v, 0));
			check_one(nextafter(v, INFINITY));
		}
	/* decimal ties that are not exact in binary: 0.05, 0.15, 2.675 ... */
	for (int k = 0; k < 100000; k++) {
		check_one(k / 1000.0 + 0.0005);
		check_one(k / 100.0 + 0.005);
		check_one(k / 10.0 + 0.05);
	}
	CHECK_EQ_INT(mismatches, 0);
}

static void svg_coordinates(void)
{
	/* x = 10 + start * (1180 / total), as the layout computes */
	const int64_t totals[] = {1, 3, 7, 1000, 52341, 123456789, 9007199254740993LL};
	for (size_t t = 0; t < sizeof(totals) / sizeof(totals[0]); t++) {
		double wpv = 1180.0 / (double)totals[t];
		for (int i = 0; i < 20000; i++) {
			int64_t start = (int64_t)(next_random() % (uint64_t)totals[t]);
			double x = 10 + (double)start * wpv;
			check_one(x);
			check_one(x + 3);
			check_one(100.0 * (double)start / (double)totals[t]);
		}
	}
	CHECK_EQ_INT(mismatches, 0);
}

static void corners(void)
{
	const double vals[] = {0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 0.5, 1.5, 2.5,
		-0.5, -2.5, 0.05, 0.95, 9.995, 99.995, 4503599627370495.5, 4503599627370496.0,
		9007199254740991.0, 9007199254740992.0, 9007199254740994.0, 1e300, -1e300, INFINITY,
		-INFINITY, NAN, 1e15 + 0.3, 123456789012.345};
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		check_one(vals[i]);
	CHECK_EQ_INT(mismatches, 0);
}

static void truncation(void)
{
	volatile double v = -1234.5678; /* not known to the compiler's format checks */
	for (size_t size = 0; size < 8; size++) {
		char want[8] = "xxxxxxx", got[8] = "xxxxxxx";
		int wn = snprintf(want, size, "%.2f", v);
		size_t gn = hf__render_format_fixed(got, size, v, 2);
		CHECK_EQ_INT(gn, wn);
		CHECK(memcmp(want, got, sizeof(want)) == 0);
	}
}

HARNESS_MAIN(T(random_values), T(halfway_cases), T(svg_coordinates), T(corners), T(truncation))
