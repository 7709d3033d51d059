// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The panic CPU from the kernel log (src/panic/panic.c), for a crash without
 * panic() (an oops: die() -> crash_kexec()), where panic_cpu is a data
 * symbol the dump's kallsyms may lack: the last dump_stack_print_info()
 * line, with or without the UID field of 6.13+.
 */
#include "harness.h"

#include "skbfilter/panic.h"

TEST(last_line_wins)
{
	const char *log =
		"[    1.0] CPU: 0 PID: 1 Comm: swapper/0 Not tainted 6.1.0-56-arm64 #1 Debian 6.1.192-2\n"
		"[   14.2] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000010\n"
		"[   14.2] Internal error: Oops: 0000000096000046 [#1] SMP\n"
		"[   14.2] CPU: 1 PID: 411 Comm: fgtool Tainted: G           OE      6.1.0-56-arm64 #1  Debian 6.1.192-2\n"
		"[   14.2] pc : truth_and_oops+0xe0/0x150 [skbtruth]\n";
	int cpu = -1, pid = -1;

	ASSERT_TRUE(panic_log_last_cpu(log, &cpu, &pid));
	ASSERT_EQ(cpu, 1);
	ASSERT_EQ(pid, 411);
}

TEST(uid_field_of_6_13)
{
	int cpu = -1, pid = -1;

	ASSERT_TRUE(panic_log_last_cpu("[ 9.9] CPU: 3 UID: 0 PID: 4242 Comm: kworker/3:1 Not tainted 6.13.0\n", &cpu,
				       &pid));
	ASSERT_EQ(cpu, 3);
	ASSERT_EQ(pid, 4242);
}

TEST(lookalikes_are_not_taken)
{
	int cpu = 7, pid = 7;

	/* "CPU: " without the PID/Comm fields that follow in dump_stack_print_info() */
	ASSERT_TRUE(!panic_log_last_cpu("smpboot: CPU: 1 booted\nx86/cpu: CPU: 0 PID: x Comm: y\n"
					"CPU: 99999 PID: 1 Comm: a\n", &cpu, &pid));
	ASSERT_EQ(cpu, 7);
	ASSERT_TRUE(panic_log_last_cpu("CPU: 2 PID: 5 Comm: a\nCPU: 1 booted\n", &cpu, &pid));
	ASSERT_EQ(cpu, 2);
	ASSERT_EQ(pid, 5);
}

TEST_MAIN()
