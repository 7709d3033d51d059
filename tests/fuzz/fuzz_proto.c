// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzzes the header parsers (src/skb/proto.c) from every starting layer,
 * and the text/JSON formatting of whatever they parse.  Input byte 0 picks
 * the first layer; the rest is the packet.
 */
#include <stdint.h>
#include <string.h>

#include "skbfilter/skb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum proto_kind first[] = { PROTO_ETH, PROTO_IPV4, PROTO_IPV6, PROTO_KIND_MAX };
	struct proto_stack ps;
	struct strbuf sb;
	struct json j;
	char d[512];

	if (size < 1)
		return 0;
	proto_parse(data + 1, size - 1, first[data[0] % 4], &ps);
	if (ps.n > PROTO_MAX_LAYERS || ps.payload_off > size - 1)
		__builtin_trap();
	for (int i = 0; i < ps.n; i++) {
		if (ps.l[i].off > size - 1)
			__builtin_trap();
		proto_describe(&ps.l[i], d, sizeof(d));
	}
	strbuf_init(&sb);
	json_init(&j, &sb, false);
	json_obj_begin(&j, NULL);
	proto_json(&j, "headers", &ps);
	json_obj_end(&j);
	strbuf_release(&sb);
	proto_csum_add(0, data, size);
	return 0;
}
