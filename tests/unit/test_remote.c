// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Remote sources (src/io/remote.c) without a server: how URLs are named in
 * output (a presigned query string is a credential) and the error when
 * nothing listens.  Servers are in tests/e2e/remote.sh.
 */
#include <netinet/in.h>
#include <stdint.h>
#include <sys/socket.h>

#include "skbfilter/source.h"
#include "harness.h"

static void shown(const char *in, const char *want)
{
	char buf[256];

	source_display_name(in, buf, sizeof(buf));
	ASSERT_STREQ(buf, want);
}

TEST(display_names_drop_credentials)
{
	shown("https://h.example/b/vmcore?X-Amz-Signature=abc%2F&X-Amz-Expires=60", "https://h.example/b/vmcore");
	shown("https://user:secret@h.example/vmcore", "https://h.example/vmcore");
	shown("http://h/a@b/vmcore?sv=2022&sig=x", "http://h/a@b/vmcore");	/* '@' in the path is not userinfo */
	shown("HTTP://h/v#frag", "HTTP://h/v");
	shown("http://h/plain", "http://h/plain");
	shown("-", "<stdin>");
	shown("dir/vmcore?not-a-url", "dir/vmcore?not-a-url");	/* a file name keeps its '?' */
}

TEST(display_name_truncates_safely)
{
	char buf[12];

	source_display_name("https://user:pw@host.example/very/long/path", buf, sizeof(buf));
	ASSERT_EQ(strlen(buf), sizeof(buf) - 1);
	ASSERT_TRUE(!strstr(buf, "pw"));
}

/* A loopback port nothing listens on: bound, never listened, then closed. */
static int dead_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || getsockname(fd, (struct sockaddr *)&a, &len) < 0)
		TEST_FAIL("cannot bind a loopback socket");
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

TEST(no_server_is_a_named_error_after_bounded_retries)
{
	struct sf_err err = { 0 };
	struct source *s = NULL;
	char url[128];
	int rc;

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/vmcore?sig=SECRET", dead_port());
	rc = source_open(url, NULL, &s, &err);
	ASSERT_TRUE(rc < 0);
	ASSERT_TRUE(s == NULL);
	ASSERT_CONTAINS(err.msg, "gave up after 5 attempts");
	ASSERT_CONTAINS(err.msg, "/vmcore");
	ASSERT_TRUE(!strstr(err.msg, "SECRET"));
}

TEST_MAIN()
