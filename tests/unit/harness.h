/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small unit-test harness: each TEST() runs in a forked child, so a crash
 * or sanitizer abort fails that test only.  Output is one "ok"/"FAIL" line per
 * test and the closing line "N passed, N failed".
 *
 *   TEST(parses_header) { ASSERT_EQ(1, 1); }
 *   TEST_MAIN()
 */
#ifndef SKBFILTER_TEST_HARNESS_H
#define SKBFILTER_TEST_HARNESS_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct test_case {
	const char *name;
	void (*fn)(void);
};

#define TEST_MAX 512
extern struct test_case test_cases[TEST_MAX];
extern int test_count;

#define TEST(name)                                                            \
	static void test_##name(void);                                        \
	__attribute__((constructor)) static void register_##name(void)        \
	{                                                                     \
		if (test_count < TEST_MAX)                                    \
			test_cases[test_count++] = (struct test_case){ #name, test_##name }; \
	}                                                                     \
	static void test_##name(void)

#define TEST_FAIL(...)                                                        \
	do {                                                                  \
		fprintf(stderr, "  %s:%d: ", __FILE__, __LINE__);             \
		fprintf(stderr, __VA_ARGS__);                                 \
		fprintf(stderr, "\n");                                        \
		exit(1);                                                      \
	} while (0)

#define ASSERT_TRUE(c) do { if (!(c)) TEST_FAIL("expected true: %s", #c); } while (0)
#define ASSERT_EQ(a, b)                                                       \
	do {                                                                  \
		long long _a = (long long)(a), _b = (long long)(b);           \
		if (_a != _b)                                                 \
			TEST_FAIL("%s == %s: %lld (0x%llx) != %lld (0x%llx)", #a, #b, _a, \
				  (unsigned long long)_a, _b, (unsigned long long)_b); \
	} while (0)
#define ASSERT_U64(a, b)                                                      \
	do {                                                                  \
		uint64_t _a = (uint64_t)(a), _b = (uint64_t)(b);              \
		if (_a != _b)                                                 \
			TEST_FAIL("%s == %s: 0x%" PRIx64 " != 0x%" PRIx64, #a, #b, _a, _b); \
	} while (0)
#define ASSERT_STREQ(a, b)                                                    \
	do {                                                                  \
		const char *_a = (a), *_b = (b);                              \
		if (!_a || !_b || strcmp(_a, _b))                             \
			TEST_FAIL("%s == %s: \"%s\" != \"%s\"", #a, #b, _a ? _a : "(null)", _b ? _b : "(null)"); \
	} while (0)
#define ASSERT_CONTAINS(hay, needle)                                          \
	do {                                                                  \
		const char *_h = (hay), *_n = (needle);                       \
		if (!_h || !strstr(_h, _n))                                   \
			TEST_FAIL("\"%s\" does not contain \"%s\"", _h ? _h : "(null)", _n); \
	} while (0)
#define ASSERT_OK(rc, err)                                                    \
	do {                                                                  \
		int _rc = (rc);                                               \
		if (_rc < 0)                                                  \
			TEST_FAIL("%s failed (%d): %s", #rc, _rc, (err)->msg); \
	} while (0)

#define TEST_MAIN()                                                           \
	struct test_case test_cases[TEST_MAX];                                \
	int test_count;                                                       \
	int main(int argc, char **argv)                                       \
	{                                                                     \
		int passed = 0, failed = 0;                                   \
		for (int i = 0; i < test_count; i++) {                        \
			if (argc > 1 && !strstr(test_cases[i].name, argv[1])) \
				continue;                                     \
			fflush(stdout);                                       \
			pid_t pid = fork();                                   \
			if (pid == 0) {                                       \
				alarm(120);                                   \
				test_cases[i].fn();                           \
				exit(0);                                      \
			}                                                     \
			int st = 0;                                           \
			waitpid(pid, &st, 0);                                 \
			if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {          \
				printf("ok   %s\n", test_cases[i].name);      \
				passed++;                                     \
			} else {                                              \
				printf("FAIL %s%s\n", test_cases[i].name,     \
				       WIFSIGNALED(st) ? " (signal)" : "");   \
				failed++;                                     \
			}                                                     \
		}                                                             \
		printf("%d passed, %d failed\n", passed, failed);             \
		return failed ? 1 : 0;                                        \
	}

#endif
