// SPDX-License-Identifier: GPL-2.0
/*
 * The Go APIs sockscan recognises. Import paths are matched without their
 * major-version elements (/v2, /v9), so one row covers every version.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "util.h"

static const struct family families[] = {
	{ "net", "net", "net", 1 },
	{ "net/http", "http", "http", 1 },
	{ "crypto/tls", "tls", "tls", 1 },
	{ "google.golang.org/grpc", "grpc", "grpc", 1 },
	{ "database/sql", "sql", "sql", 1 },
	{ "github.com/jmoiron/sqlx", "sqlx", "sqlx", 1 },
	{ "github.com/jackc/pgx", "pgx", "pgx", 1 },
	{ "github.com/jackc/pgx/pgxpool", "pgxpool", "pgxpool", 1 },
	{ "gorm.io/gorm", "gorm", "gorm", 1 },
	{ "gorm.io/driver/postgres", "gorm-postgres", "postgres", 1 },
	{ "gorm.io/driver/mysql", "gorm-mysql", "mysql", 1 },
	{ "gorm.io/driver/sqlserver", "gorm-sqlserver", "sqlserver", 1 },
	{ "gorm.io/driver/sqlite", "gorm-sqlite", "sqlite", 1 },
	{ "github.com/redis/go-redis", "redis", "redis", 1 },
	{ "github.com/go-redis/redis", "redis", "redis", 1 },
	{ "github.com/gomodule/redigo/redis", "redigo", "redis", 1 },
	{ "go.mongodb.org/mongo-driver/mongo", "mongo", "mongo", 1 },
	{ "go.mongodb.org/mongo-driver/mongo/options", "mongo-options", "options", 1 },
	{ "github.com/gin-gonic/gin", "gin", "gin", 1 },
	{ "github.com/labstack/echo", "echo", "echo", 1 },
	{ "github.com/gofiber/fiber", "fiber", "fiber", 1 },
	/* helpers the resolver understands; they open nothing themselves */
	{ "os", "os", "os", 0 },
	{ "fmt", "fmt", "fmt", 0 },
	{ "flag", "flag", "flag", 0 },
	{ "strconv", "strconv", "strconv", 0 },
	{ NULL, NULL, NULL, 0 },
};

/* Is path element [p, p+n) a major version ("v2", "v10")? */
static int is_version_elem(const char *p, size_t n)
{
	size_t i;

	if (n < 2 || p[0] != 'v')
		return 0;
	for (i = 1; i < n; i++)
		if (!isdigit((unsigned char)p[i]))
			return 0;
	return 1;
}

const struct family *go_family(const char *import_path)
{
	char buf[256];
	size_t len = 0;
	const char *p = import_path;
	int i;

	/* Rebuild the path without its version elements. */
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		if (!(p != import_path && is_version_elem(p, n))) {
			if (len + n + 2 >= sizeof(buf))
				return NULL;
			if (len)
				buf[len++] = '/';
			memcpy(buf + len, p, n);
			len += n;
		}
		p += n;
		if (*p == '/')
			p++;
	}
	buf[len] = '\0';
	for (i = 0; families[i].path; i++)
		if (strcmp(families[i].path, buf) == 0)
			return &families[i];
	return NULL;
}

#define IN DIR_INGRESS
#define OUT DIR_EGRESS
#define NONE DIR_NONE

/*
 * Listeners and dialers of package net take (network, address); the
 * *Addr variants take resolved addresses that extraction turns back into
 * "host:port" (see go_composites).
 */
const struct rule go_rules[] = {
	/* package net */
	{ "net", NULL, "Listen", "net.Listen", IN, ADDR_HOSTPORT, FROM_ARG, 1, .net_arg = 0, .makes = "net.Listener" },
	{ "net", NULL, "ListenTCP", "net.ListenTCP", IN, ADDR_HOSTPORT, FROM_ARG, 1, .net_arg = 0, .makes = "net.Listener" },
	{ "net", NULL, "ListenUDP", "net.ListenUDP", IN, ADDR_HOSTPORT, FROM_ARG, 1, .net_arg = 0 },
	{ "net", NULL, "ListenUnix", "net.ListenUnix", IN, ADDR_HOSTPORT, FROM_ARG, 1, .net_arg = 0, .makes = "net.Listener" },
	{ "net", NULL, "ListenUnixgram", "net.ListenUnixgram", IN, ADDR_HOSTPORT, FROM_ARG, 1, .net_arg = 0 },
	{ "net", NULL, "ListenPacket", "net.ListenPacket", IN, ADDR_HOSTPORT, FROM_ARG, 1, .net_arg = 0 },
	{ "net", "net.ListenConfig", "Listen", "net.ListenConfig.Listen", IN, ADDR_HOSTPORT, FROM_ARG, 2, .net_arg = 1, .makes = "net.Listener" },
	{ "net", "net.ListenConfig", "ListenPacket", "net.ListenConfig.ListenPacket", IN, ADDR_HOSTPORT, FROM_ARG, 2, .net_arg = 1 },
	{ "net", NULL, "Dial", "net.Dial", OUT, ADDR_HOSTPORT, FROM_ARG, 1, .net_arg = 0 },
	{ "net", NULL, "DialTimeout", "net.DialTimeout", OUT, ADDR_HOSTPORT, FROM_ARG, 1, .net_arg = 0 },
	{ "net", NULL, "DialTCP", "net.DialTCP", OUT, ADDR_HOSTPORT, FROM_ARG, 2, .net_arg = 0 },
	{ "net", NULL, "DialUDP", "net.DialUDP", OUT, ADDR_HOSTPORT, FROM_ARG, 2, .net_arg = 0 },
	{ "net", NULL, "DialUnix", "net.DialUnix", OUT, ADDR_HOSTPORT, FROM_ARG, 2, .net_arg = 0 },
	{ "net", "net.Dialer", "Dial", "net.Dialer.Dial", OUT, ADDR_HOSTPORT, FROM_ARG, 1, .net_arg = 0 },
	{ "net", "net.Dialer", "DialContext", "net.Dialer.DialContext", OUT, ADDR_HOSTPORT, FROM_ARG, 2, .net_arg = 1 },
	/* values that are addresses: the call stands for its argument */
	{ "net", NULL, "ResolveTCPAddr", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, 1, .net_arg = -1 },
	{ "net", NULL, "ResolveUDPAddr", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, 1, .net_arg = -1 },
	{ "net", NULL, "ResolveUnixAddr", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, 1, .net_arg = -1 },
	{ "net", NULL, "ParseIP", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, 0, .net_arg = -1 },

	/* crypto/tls */
	{ "tls", NULL, "Dial", "tls.Dial", OUT, ADDR_HOSTPORT, FROM_ARG, 1, .net_arg = 0, .app = "tls" },
	{ "tls", NULL, "DialWithDialer", "tls.DialWithDialer", OUT, ADDR_HOSTPORT, FROM_ARG, 2, .net_arg = 1, .app = "tls" },
	{ "tls", "tls.Dialer", "DialContext", "tls.Dialer.DialContext", OUT, ADDR_HOSTPORT, FROM_ARG, 2, .net_arg = 1, .app = "tls" },
	{ "tls", NULL, "Listen", "tls.Listen", IN, ADDR_HOSTPORT, FROM_ARG, 1, .net_arg = 0, .app = "tls", .makes = "net.Listener" },

	/* net/http servers: an empty address means ":http" / ":https" */
	{ "http", NULL, "ListenAndServe", "http.ListenAndServe", IN, ADDR_HOSTPORT, FROM_ARG, 0, .net_arg = -1, .proto = "tcp", .app = "http", .default_addr = ":80", .default_how = RES_PROTOCOL_DEFAULT },
	{ "http", NULL, "ListenAndServeTLS", "http.ListenAndServeTLS", IN, ADDR_HOSTPORT, FROM_ARG, 0, .net_arg = -1, .proto = "tcp", .app = "https", .default_addr = ":443", .default_how = RES_PROTOCOL_DEFAULT },
	{ "http", NULL, "Serve", "http.Serve", IN, ADDR_HOSTPORT, FROM_ARG, 0, .net_arg = -1, .app = "http" },
	{ "http", NULL, "ServeTLS", "http.ServeTLS", IN, ADDR_HOSTPORT, FROM_ARG, 0, .net_arg = -1, .app = "https" },
	{ "http", "http.Server", "ListenAndServe", "http.Server.ListenAndServe", IN, ADDR_HOSTPORT, FROM_RECV, -1, .net_arg = -1, .proto = "tcp", .app = "http", .default_addr = ":80", .default_how = RES_PROTOCOL_DEFAULT },
	{ "http", "http.Server", "ListenAndServeTLS", "http.Server.ListenAndServeTLS", IN, ADDR_HOSTPORT, FROM_RECV, -1, .net_arg = -1, .proto = "tcp", .app = "https", .default_addr = ":443", .default_how = RES_PROTOCOL_DEFAULT },
	{ "http", "http.Server", "Serve", "http.Server.Serve", IN, ADDR_HOSTPORT, FROM_ARG, 0, .net_arg = -1, .app = "http" },
	{ "http", "http.Server", "ServeTLS", "http.Server.ServeTLS", IN, ADDR_HOSTPORT, FROM_ARG, 0, .net_arg = -1, .app = "https" },

	/* net/http clients */
	{ "http", NULL, "Get", "http.Get", OUT, ADDR_URL, FROM_ARG, 0, .net_arg = -1, .proto = "tcp" },
	{ "http", NULL, "Head", "http.Head", OUT, ADDR_URL, FROM_ARG, 0, .net_arg = -1, .proto = "tcp" },
	{ "http", NULL, "Post", "http.Post", OUT, ADDR_URL, FROM_ARG, 0, .net_arg = -1, .proto = "tcp" },
	{ "http", NULL, "PostForm", "http.PostForm", OUT, ADDR_URL, FROM_ARG, 0, .net_arg = -1, .proto = "tcp" },
	{ "http", "http.Client", "Do", "http.Client.Do", OUT, ADDR_URL, FROM_ARG, 0, .net_arg = -1, .proto = "tcp" },
	{ "http", "http.Client", "Get", "http.Client.Get", OUT, ADDR_URL, FROM_ARG, 0, .net_arg = -1, .proto = "tcp" },
	{ "http", "http.Client", "Head", "http.Client.Head", OUT, ADDR_URL, FROM_ARG, 0, .net_arg = -1, .proto = "tcp" },
	{ "http", "http.Client", "Post", "http.Client.Post", OUT, ADDR_URL, FROM_ARG, 0, .net_arg = -1, .proto = "tcp" },
	{ "http", "http.Client", "PostForm", "http.Client.PostForm", OUT, ADDR_URL, FROM_ARG, 0, .net_arg = -1, .proto = "tcp" },
	{ "http", NULL, "NewRequest", NULL, NONE, ADDR_URL, FROM_ARG, 1, .net_arg = -1, .makes = "http.Request" },
	{ "http", NULL, "NewRequestWithContext", NULL, NONE, ADDR_URL, FROM_ARG, 2, .net_arg = -1, .makes = "http.Request" },

	/* gRPC */
	{ "grpc", NULL, "Dial", "grpc.Dial", OUT, ADDR_GRPC, FROM_ARG, 0, .net_arg = -1, .app = "grpc" },
	{ "grpc", NULL, "DialContext", "grpc.DialContext", OUT, ADDR_GRPC, FROM_ARG, 1, .net_arg = -1, .app = "grpc" },
	{ "grpc", NULL, "NewClient", "grpc.NewClient", OUT, ADDR_GRPC, FROM_ARG, 0, .net_arg = -1, .app = "grpc" },
	{ "grpc", NULL, "NewServer", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "grpc.Server" },
	{ "grpc", "grpc.Server", "Serve", "grpc.Server.Serve", IN, ADDR_HOSTPORT, FROM_ARG, 0, .net_arg = -1, .app = "grpc" },

	/* databases: the driver names the protocol; sqlite opens no socket */
	{ "sql", NULL, "Open", "sql.Open", OUT, ADDR_DSN, FROM_ARG, 1, .net_arg = 0, .proto = "tcp" },
	{ "sqlx", NULL, "Open", "sqlx.Open", OUT, ADDR_DSN, FROM_ARG, 1, .net_arg = 0, .proto = "tcp" },
	{ "sqlx", NULL, "Connect", "sqlx.Connect", OUT, ADDR_DSN, FROM_ARG, 1, .net_arg = 0, .proto = "tcp" },
	{ "pgx", NULL, "Connect", "pgx.Connect", OUT, ADDR_DSN, FROM_ARG, 1, .net_arg = -1, .proto = "tcp", .app = "postgres" },
	{ "pgxpool", NULL, "New", "pgxpool.New", OUT, ADDR_DSN, FROM_ARG, 1, .net_arg = -1, .proto = "tcp", .app = "postgres" },
	{ "pgxpool", NULL, "Connect", "pgxpool.Connect", OUT, ADDR_DSN, FROM_ARG, 1, .net_arg = -1, .proto = "tcp", .app = "postgres" },
	{ "gorm", NULL, "Open", "gorm.Open", OUT, ADDR_DSN, FROM_ARG, 0, .net_arg = -1, .proto = "tcp" },
	{ "gorm-postgres", NULL, "Open", NULL, NONE, ADDR_DSN, FROM_ARG, 0, .net_arg = -1, .app = "postgres", .makes = "gorm.Dialector" },
	{ "gorm-mysql", NULL, "Open", NULL, NONE, ADDR_DSN, FROM_ARG, 0, .net_arg = -1, .app = "mysql", .makes = "gorm.Dialector" },
	{ "gorm-sqlserver", NULL, "Open", NULL, NONE, ADDR_DSN, FROM_ARG, 0, .net_arg = -1, .app = "sqlserver", .makes = "gorm.Dialector" },
	{ "gorm-sqlite", NULL, "Open", NULL, NONE, ADDR_DSN, FROM_ARG, 0, .net_arg = -1, .app = "sqlite", .makes = "gorm.Dialector" },

	/* Redis: go-redis takes Options{Addr}, redigo a network and address */
	{ "redis", NULL, "NewClient", "redis.NewClient", OUT, ADDR_HOSTPORT, FROM_ARG, 0, .net_arg = -1, .proto = "tcp", .app = "redis", .default_addr = "localhost:6379", .default_how = RES_FRAMEWORK_DEFAULT },
	{ "redigo", NULL, "Dial", "redis.Dial", OUT, ADDR_HOSTPORT, FROM_ARG, 1, .net_arg = 0, .app = "redis" },
	{ "redigo", NULL, "DialURL", "redis.DialURL", OUT, ADDR_URL, FROM_ARG, 0, .net_arg = -1, .proto = "tcp" },

	/* MongoDB: the URI travels in options.Client().ApplyURI(uri) */
	{ "mongo", NULL, "Connect", "mongo.Connect", OUT, ADDR_URL, FROM_ANY_ARG, -1, .net_arg = -1, .proto = "tcp", .app = "mongodb" },
	{ "mongo", NULL, "NewClient", "mongo.NewClient", OUT, ADDR_URL, FROM_ANY_ARG, -1, .net_arg = -1, .proto = "tcp", .app = "mongodb" },
	{ "mongo-options", NULL, "Client", NULL, NONE, ADDR_URL, FROM_ARG, -1, .net_arg = -1, .makes = "mongo.ClientOptions" },
	{ "mongo-options", "mongo.ClientOptions", "ApplyURI", NULL, NONE, ADDR_URL, FROM_ARG, 0, .net_arg = -1, .makes = "mongo.ClientOptions" },

	/* web frameworks; gin's Run() without an address serves :8080 */
	{ "gin", NULL, "Default", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "gin.Engine" },
	{ "gin", NULL, "New", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "gin.Engine" },
	{ "gin", "gin.Engine", "Run", "gin.Engine.Run", IN, ADDR_HOSTPORT, FROM_ARG, 0, .net_arg = -1, .proto = "tcp", .app = "http", .default_addr = ":8080", .default_how = RES_FRAMEWORK_DEFAULT },
	{ "gin", "gin.Engine", "RunTLS", "gin.Engine.RunTLS", IN, ADDR_HOSTPORT, FROM_ARG, 0, .net_arg = -1, .proto = "tcp", .app = "https" },
	{ "gin", "gin.Engine", "RunUnix", "gin.Engine.RunUnix", IN, ADDR_HOSTPORT, FROM_ARG, 0, .net_arg = -1, .proto = "unix", .app = "http" },
	{ "echo", NULL, "New", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "echo.Echo" },
	{ "echo", "echo.Echo", "Start", "echo.Echo.Start", IN, ADDR_HOSTPORT, FROM_ARG, 0, .net_arg = -1, .proto = "tcp", .app = "http" },
	{ "echo", "echo.Echo", "StartTLS", "echo.Echo.StartTLS", IN, ADDR_HOSTPORT, FROM_ARG, 0, .net_arg = -1, .proto = "tcp", .app = "https" },
	{ "fiber", NULL, "New", NULL, NONE, ADDR_HOSTPORT, FROM_ARG, -1, .net_arg = -1, .makes = "fiber.App" },
	{ "fiber", "fiber.App", "Listen", "fiber.App.Listen", IN, ADDR_HOSTPORT, FROM_ARG, 0, .net_arg = -1, .proto = "tcp", .app = "http" },
	{ "fiber", "fiber.App", "ListenTLS", "fiber.App.ListenTLS", IN, ADDR_HOSTPORT, FROM_ARG, 0, .net_arg = -1, .proto = "tcp", .app = "https" },
	{ NULL },
};

/*
 * Composite literals: servers and clients configured by struct fields,
 * and the address structs of package net.
 */
const struct composite go_composites[] = {
	{ "http", "Server", "http.Server", "Addr", NULL },
	{ "http", "Client", "http.Client", NULL, NULL },
	{ "net", "Dialer", "net.Dialer", NULL, NULL },
	{ "net", "ListenConfig", "net.ListenConfig", NULL, NULL },
	{ "tls", "Dialer", "tls.Dialer", NULL, NULL },
	{ "redis", "Options", "redis.Options", "Addr", NULL },
	{ "net", "TCPAddr", NULL, "IP", "Port" },
	{ "net", "UDPAddr", NULL, "IP", "Port" },
	{ "net", "UnixAddr", NULL, "Name", NULL },
	{ NULL },
};

const struct rule *rule_func(const struct rule *table, const char *family,
			     const char *name)
{
	for (; table->family; table++)
		if (!table->type && strcmp(table->family, family) == 0 &&
		    strcmp(table->name, name) == 0)
			return table;
	return NULL;
}

const struct rule *rule_method(const struct rule *table, const char *type,
			       const char *name)
{
	for (; table->family; table++)
		if (table->type && strcmp(table->type, type) == 0 &&
		    strcmp(table->name, name) == 0)
			return table;
	return NULL;
}

int rule_is_func_name(const struct rule *table, const char *name)
{
	for (; table->family; table++)
		if (!table->type && strcmp(table->name, name) == 0)
			return 1;
	return 0;
}

const struct rule *rule_any_method(const struct rule *table, const char *type)
{
	for (; table->family; table++)
		if (table->type && strcmp(table->type, type) == 0 && table->dir != DIR_NONE)
			return table;
	return NULL;
}

const struct rule *rule_any_func(const struct rule *table, const char *family)
{
	for (; table->family; table++)
		if (!table->type && strcmp(table->family, family) == 0 && table->dir != DIR_NONE)
			return table;
	return NULL;
}

int rule_is_family(const struct rule *table, const char *family)
{
	for (; table->family; table++)
		if (!table->type && strcmp(table->family, family) == 0)
			return 1;
	return 0;
}

int rule_is_method_name(const struct rule *table, const char *name)
{
	for (; table->family; table++)
		if (table->type && strcmp(table->name, name) == 0)
			return 1;
	return 0;
}

const struct composite *go_composite(const char *family, const char *type)
{
	const struct composite *c;

	for (c = go_composites; c->family; c++)
		if (strcmp(c->family, family) == 0 && strcmp(c->type, type) == 0)
			return c;
	return NULL;
}
