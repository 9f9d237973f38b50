// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The exporter's --metrics address (user/lib/httpd.h: httpd_parse_addr). */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include "lib/httpd.h"

static void v4(const char *addr, const char *want_ip, unsigned int want_port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;
	char why[96], ip[INET_ADDRSTRLEN];

	cr_assert_eq(httpd_parse_addr(addr, "127.0.0.1", &ss, why, sizeof(why)), 0, "%s: %s", addr, why);
	cr_assert_eq(ss.ss_family, AF_INET);
	inet_ntop(AF_INET, &in->sin_addr, ip, sizeof(ip));
	cr_assert_str_eq(ip, want_ip);
	cr_assert_eq(ntohs(in->sin_port), want_port);
}

static void bad(const char *addr, const char *why_part)
{
	struct sockaddr_storage ss;
	char why[96] = "";

	cr_assert_eq(httpd_parse_addr(addr, "127.0.0.1", &ss, why, sizeof(why)), -EINVAL, "%s", addr);
	cr_assert(strstr(why, why_part), "%s: '%s' lacks '%s'", addr, why, why_part);
}

Test(prom_addr, port_alone_binds_the_default_host)
{
	v4("8739", "127.0.0.1", 8739);
	v4("0", "127.0.0.1", 0);
}

Test(prom_addr, host_and_port)
{
	v4("0.0.0.0:9", "0.0.0.0", 9);
	v4("10.1.2.3:65535", "10.1.2.3", 65535);
}

Test(prom_addr, ipv6_in_brackets)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	char why[96];

	cr_assert_eq(httpd_parse_addr("[::1]:8739", "127.0.0.1", &ss, why, sizeof(why)), 0);
	cr_assert_eq(ss.ss_family, AF_INET6);
	cr_assert_eq(ntohs(in6->sin6_port), 8739);
	cr_assert(IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr));
}

Test(prom_addr, refused_with_a_reason)
{
	bad("65536", "bad port '65536'");
	bad("127.0.0.1:", "bad port ''");
	bad("127.0.0.1:80x", "bad port '80x'");
	bad("localhost:8739", "bad host 'localhost'");
	bad("::1", "in brackets");
	bad("[::1]", "[IPV6]:PORT");
	bad(":8739", "HOST:PORT");
}
