// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzzes BTF loading (our header checks, then libbpf's) and the lookups the
 * tool makes on the result: field paths through anonymous members,
 * bitfields, sizes, enums.
 */
#include <stdint.h>
#include <stdlib.h>

#include "kernel/ktypes_int.h"

static int count_cb(const char *name, int64_t value, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *paths[] = {
		"sk_buff.head", "sk_buff.len", "sk_buff.encapsulation", "skb_shared_info.frags",
		"skb_shared_info.frags[1]", "task_struct.thread_info.flags", "outer.in.y", "outer.arr[2]",
		"module.name", "a.b.c.d",
	};
	struct sf_err err = { 0 };
	struct ktypes *kt = NULL;
	uint8_t obj[512] = { 0 };
	uint64_t v;
	int64_t e;
	int n = 0;

	if (ktypes_load_raw(data, size, "fuzz", &kt, &err) < 0)
		return 0;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct kfield f;

		if (ktypes_field(kt, paths[i], &f, &err) == 0) {
			ktypes_extract(&f, obj, sizeof(obj), 0, false, &v);
			ktypes_extract(&f, obj, sizeof(obj), 0, true, &v);
		}
	}
	ktypes_sizeof(kt, "sk_buff", &v, &err);
	ktypes_enum_value(kt, "SKB_GSO_TCPV4", &e, &err);
	ktypes_enum_foreach(kt, "", count_cb, &n);
	ktypes_destroy(kt);
	return 0;
}
