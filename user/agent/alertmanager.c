// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Alertmanager: the episode book (agent's lock) and the sender thread
 * (libcurl). See alertmanager.h.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <curl/curl.h>
#include "agent/alertmanager.h"
#include "lib/hashmap.h"
#include "lib/json_writer.h"
#include "lib/prom.h"
#include "lib/strbuf.h"
#include "table/decode.h"

#define NSEC		1000000000ULL
#define BACKOFF_MIN_S	1
#define BACKOFF_MAX_S	30
#define POST_TIMEOUT_S	5

enum am_kind {
	AM_ONESHOT,	/* fired and forgotten: endsAt ahead */
	AM_SUSPECT,	/* lasts while the leak rule lists it */
	AM_BREACH,	/* lasts until ewma_back_down for its key */
};

/* Which alert: its name and key, zero-padded (a hash key). */
struct am_id {
	char alert[32];
	char key[SW_ALERT_KEYLEN];
};

/* One firing alert, in m->active (lib/hashmap.h, keyed by id): its
 * identity and what it was posted with. */
struct am_active {
	struct am_id id;		/* key */
	bool seen;			/* in the current sweep */
	enum am_kind kind;
	char *labels, *annotations;	/* JSON objects, fixed at firing */
	__u64 starts_wall_ns;
	__u64 sent_mono_ns;
};

/* A queued alert (one JSON object), and when it was first queued. */
struct am_item {
	char *json;
	__u64 queued_mono_ns;
};

struct sw_am {
	char url[600];
	char node[128];
	struct sw_map active;		/* of struct am_active, at most SW_AM_ACTIVE */

	/* the queue, a ring, and the sender: under lock */
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	bool stopping;
	struct am_item q[SW_AM_QUEUE];
	size_t head, n;
	struct sw_am_stats st;
};

/* ---- what is posted ---- */

static const char *severity(const char *alert)
{
	static const char *const critical[] = {
		SW_ALERT_EWMA_CONFIRMED, SW_ALERT_MAX_PORTS, SW_ALERT_FD_HEADROOM,
	};
	size_t i;

	for (i = 0; i < sizeof(critical) / sizeof(critical[0]); i++)
		if (!strcmp(alert, critical[i]))
			return "critical";
	return "warning";
}

static const char *field_str(const struct sw_alert *al, const char *name)
{
	__u32 i;

	for (i = 0; i < al->nfields; i++)
		if (al->field[i].type == SW_AV_STR && !strcmp(al->field[i].name, name))
			return al->strbuf + al->field[i].str;
	return NULL;
}

static void label(struct sw_json *j, const char *k, const char *v)
{
	if (v && *v)
		sw_json_kstr(j, k, v);
}

void sw_am_labels_json(struct sw_json *j, const struct sw_alert *al,
		       const char *node)
{
	sw_json_obj_begin(j);
	sw_json_kstr(j, "alertname", al->alert);
	sw_json_kstr(j, "severity", severity(al->alert));
	sw_json_kstr(j, "job", "sockwatch");
	label(j, "node", node);
	label(j, "key_kind", al->key_kind);
	label(j, "key", al->key);
	label(j, "unit", field_str(al, "unit"));
	label(j, "container", field_str(al, "container_id"));
	label(j, "container_runtime", field_str(al, "container_runtime"));
	label(j, "pod_uid", field_str(al, "pod_uid"));
	sw_json_obj_end(j);
}

static void annotations_json(struct sw_json *j, const struct sw_alert *al,
			     const char *node)
{
	char summary[512];
	struct sw_json full;

	snprintf(summary, sizeof(summary), "%s on %s: %s %s%s%s", al->alert,
		 node, al->key_kind ? al->key_kind : "", al->key,
		 al->comm[0] ? ", process " : "", al->comm);
	sw_json_init(&full);
	sw_alert_json(&full, al);
	sw_json_obj_begin(j);
	sw_json_kstr(j, "summary", summary);
	sw_json_kstr(j, "description", sw_json_cstr(&full));
	if (al->pid) {
		snprintf(summary, sizeof(summary), "%u", al->pid);
		sw_json_kstr(j, "pid", summary);
		sw_json_kstr(j, "comm", al->comm);
	}
	sw_json_obj_end(j);
	sw_json_free(&full);
}

static void puts_(struct sw_strbuf *b, const char *s)
{
	sw_strbuf_put(b, s, strlen(s));
}

char *sw_am_item(const char *labels, const char *annotations,
		 __u64 starts_wall_ns, __u64 ends_wall_ns)
{
	struct sw_strbuf b = { 0 };
	char t[SW_TIME_STRLEN];

	puts_(&b, "{\"labels\":");
	puts_(&b, labels);
	puts_(&b, ",\"annotations\":");
	puts_(&b, annotations);
	sw_fmt_time(t, starts_wall_ns);
	puts_(&b, ",\"startsAt\":\"");
	puts_(&b, t);
	sw_fmt_time(t, ends_wall_ns);
	puts_(&b, "\",\"endsAt\":\"");
	puts_(&b, t);
	puts_(&b, "\"}");
	if (b.oom) {
		sw_strbuf_free(&b);
		return NULL;
	}
	return sw_strbuf_steal(&b, NULL);
}

/* ---- the queue (any thread) ---- */

static void enqueue(struct sw_am *m, char *json)
{
	struct am_item *it;

	pthread_mutex_lock(&m->lock);
	if (!json || m->n == SW_AM_QUEUE) {
		m->st.dropped++;
		free(json);
	} else {
		it = &m->q[(m->head + m->n++) % SW_AM_QUEUE];
		it->json = json;
		it->queued_mono_ns = sw_mono_now();
		pthread_cond_signal(&m->wake);
	}
	pthread_mutex_unlock(&m->lock);
}

static void post(struct sw_am *m, struct am_active *a, __u64 ends_wall_ns)
{
	enqueue(m, sw_am_item(a->labels, a->annotations, a->starts_wall_ns,
			      ends_wall_ns));
	a->sent_mono_ns = sw_mono_now();
}

/* ---- the episode book (agent's lock) ---- */

static enum am_kind kind_of(const char *alert)
{
	if (!strcmp(alert, SW_ALERT_CLOSE_WAIT) || !strcmp(alert, SW_ALERT_IDLE) ||
	    !strcmp(alert, SW_ALERT_FD_HEADROOM))
		return AM_SUSPECT;
	if (!strcmp(alert, SW_ALERT_EWMA_STARTED) || !strcmp(alert, SW_ALERT_EWMA_CONFIRMED))
		return AM_BREACH;
	return AM_ONESHOT;
}

static void free_strings(struct am_active *a)
{
	free(a->labels);
	free(a->annotations);
	a->labels = a->annotations = NULL;
}

/* Out of the book; the last entry moves into its place. */
static void forget(struct sw_am *m, struct am_active *a)
{
	free_strings(a);
	sw_map_del(&m->active, a);
}

static void make_id(struct am_id *id, const char *alert, const char *key)
{
	memset(id, 0, sizeof(*id));
	snprintf(id->alert, sizeof(id->alert), "%s", alert);
	snprintf(id->key, sizeof(id->key), "%s", key);
}

static struct am_active *find(struct sw_am *m, const char *alert, const char *key)
{
	struct am_id id;

	make_id(&id, alert, key);
	return sw_map_get(&m->active, &id);
}

/* Resolve: one more post, with endsAt now. */
static void resolve(struct sw_am *m, struct am_active *a)
{
	post(m, a, sw_mono_to_wall(sw_mono_now()));
	forget(m, a);
}

/* ewma_back_down ends the breach of its key. */
static void back_down(struct sw_am *m, const struct sw_alert *al)
{
	struct am_active *a;
	size_t i = 0;

	/* a removal moves the last entry into the hole: look at i again */
	while (i < sw_map_count(&m->active)) {
		a = sw_map_at(&m->active, i);
		if (a->kind == AM_BREACH && !strcmp(a->id.key, al->key))
			resolve(m, a);
		else
			i++;
	}
}

static char *to_string(struct sw_json *j)
{
	char *s = j->out.oom ? NULL : strdup(sw_json_cstr(j));

	sw_json_reset(j);
	return s;
}

/* The labels and annotations of al, fixed now; -1 when out of memory. */
static int describe(struct sw_am *m, struct am_active *a, const struct sw_alert *al)
{
	struct sw_json j;

	a->starts_wall_ns = al->wall_ns ? al->wall_ns : sw_mono_to_wall(al->mono_ns);
	sw_json_init(&j);
	sw_am_labels_json(&j, al, m->node);
	a->labels = to_string(&j);
	annotations_json(&j, al, m->node);
	a->annotations = to_string(&j);
	sw_json_free(&j);
	return a->labels && a->annotations ? 0 : -1;
}

static void count_dropped(struct sw_am *m)
{
	pthread_mutex_lock(&m->lock);
	m->st.dropped++;
	pthread_mutex_unlock(&m->lock);
}

void sw_am_fire(struct sw_am *m, const struct sw_alert *al)
{
	struct am_active tmp = { 0 }, *a;
	struct am_id id;
	bool fresh;

	if (!m)
		return;
	if (!strcmp(al->alert, SW_ALERT_EWMA_BACK_DOWN)) {
		back_down(m, al);
		return;
	}
	/* started then confirmed: one alert, the confirmed one replaces it */
	if (!strcmp(al->alert, SW_ALERT_EWMA_CONFIRMED) &&
	    (a = find(m, SW_ALERT_EWMA_STARTED, al->key)))
		resolve(m, a);
	if (kind_of(al->alert) == AM_ONESHOT) {
		if (!describe(m, &tmp, al))
			post(m, &tmp, tmp.starts_wall_ns + SW_AM_ONESHOT_S * NSEC);
		free_strings(&tmp);
		return;
	}
	/* the same alert again: a new episode replaces the old one */
	a = find(m, al->alert, al->key);
	if (a)
		forget(m, a);
	make_id(&id, al->alert, al->key);
	a = sw_map_count(&m->active) < SW_AM_ACTIVE ?
	    sw_map_put(&m->active, &id, &fresh) : NULL;
	if (!a) {
		count_dropped(m);
		return;
	}
	a->kind = kind_of(al->alert);
	if (describe(m, a, al)) {
		forget(m, a);
		count_dropped(m);
		return;
	}
	post(m, a, sw_mono_to_wall(sw_mono_now()) + 4 * SW_AM_REFRESH_S * NSEC);
}

void sw_am_sweep_begin(struct sw_am *m)
{
	size_t i;

	for (i = 0; m && i < sw_map_count(&m->active); i++)
		((struct am_active *)sw_map_at(&m->active, i))->seen = false;
}

void sw_am_sweep_seen(struct sw_am *m, const char *alert, const char *key)
{
	struct am_active *a = m ? find(m, alert, key) : NULL;

	if (a)
		a->seen = true;
}

void sw_am_sweep_end(struct sw_am *m)
{
	__u64 now;
	size_t i;

	if (!m)
		return;
	now = sw_mono_now();
	i = 0;
	while (i < sw_map_count(&m->active)) {
		struct am_active *a = sw_map_at(&m->active, i);

		if (a->kind == AM_SUSPECT && !a->seen) {
			resolve(m, a);	/* the last entry moved to i */
			continue;
		}
		if (now - a->sent_mono_ns >= SW_AM_REFRESH_S * NSEC)
			post(m, a, sw_mono_to_wall(now) + 4 * SW_AM_REFRESH_S * NSEC);
		i++;
	}
}

/* ---- the sender thread ---- */

static size_t discard(void *p, size_t size, size_t n, void *ctx)
{
	return size * n;
}

/* POST body; 0 when Alertmanager answered 2xx. */
static int post_batch(struct sw_am *m, CURL *c, const char *body, char *why, size_t len)
{
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
	long status = 0;
	CURLcode rc;

	curl_easy_setopt(c, CURLOPT_URL, m->url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)POST_TIMEOUT_S);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)POST_TIMEOUT_S);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	rc = curl_easy_perform(c);
	curl_slist_free_all(hdr);
	if (rc != CURLE_OK) {
		snprintf(why, len, "%s", curl_easy_strerror(rc));
		return -1;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status > 299) {
		snprintf(why, len, "HTTP %ld", status);
		return -1;
	}
	return 0;
}

/* The first k queued alerts as one JSON array (called under lock). */
static char *batch(struct sw_am *m, size_t *k)
{
	struct sw_strbuf b = { 0 };
	size_t i;

	*k = m->n < SW_AM_BATCH ? m->n : SW_AM_BATCH;
	sw_strbuf_putc(&b, '[');
	for (i = 0; i < *k; i++) {
		if (i)
			sw_strbuf_putc(&b, ',');
		puts_(&b, m->q[(m->head + i) % SW_AM_QUEUE].json);
	}
	sw_strbuf_putc(&b, ']');
	if (b.oom) {
		sw_strbuf_free(&b);
		return NULL;
	}
	return sw_strbuf_steal(&b, NULL);
}

static void pop(struct sw_am *m, size_t k, bool delivered)
{
	while (k--) {
		free(m->q[m->head].json);
		m->q[m->head].json = NULL;
		m->head = (m->head + 1) % SW_AM_QUEUE;
		m->n--;
		if (delivered)
			m->st.sent++;
		else
			m->st.dropped++;
	}
}

/* Alerts queued longer than SW_AM_GIVE_UP_S are dropped. */
static void expire(struct sw_am *m, __u64 now)
{
	while (m->n && now - m->q[m->head].queued_mono_ns > SW_AM_GIVE_UP_S * NSEC)
		pop(m, 1, false);
}

static void wait_s(struct sw_am *m, unsigned s)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += s;
	while (!m->stopping &&
	       pthread_cond_timedwait(&m->wake, &m->lock, &until) != ETIMEDOUT)
		;
}

static void *sender(void *arg)
{
	struct sw_am *m = arg;
	unsigned backoff = BACKOFF_MIN_S;
	CURL *c = curl_easy_init();
	char why[256];
	size_t k;
	char *body;
	int rc;

	pthread_mutex_lock(&m->lock);
	while (c) {
		while (!m->n && !m->stopping)
			pthread_cond_wait(&m->wake, &m->lock);
		if (!m->n)
			break;
		body = batch(m, &k);
		pthread_mutex_unlock(&m->lock);
		rc = body ? post_batch(m, c, body, why, sizeof(why)) : -1;
		free(body);
		pthread_mutex_lock(&m->lock);
		if (!rc) {
			pop(m, k, true);
			backoff = BACKOFF_MIN_S;
			continue;
		}
		m->st.failures++;
		if (m->stopping)
			break;
		fprintf(stderr, "sockwatch: warning: alertmanager %s: %s; %zu alert(s) queued, retrying in %u s\n",
			m->url, body ? why : "out of memory", m->n, backoff);
		expire(m, sw_mono_now());
		wait_s(m, backoff);
		backoff = backoff * 2 > BACKOFF_MAX_S ? BACKOFF_MAX_S : backoff * 2;
	}
	pthread_mutex_unlock(&m->lock);
	curl_easy_cleanup(c);
	return NULL;
}

/* ---- life ---- */

static int set_url(struct sw_am *m, const char *url, char *err, size_t errlen)
{
	const char *suffix = "/api/v2/alerts";
	size_t n = strlen(url), k = strlen(suffix);
	CURLU *u = curl_url();
	const char *p;
	int bad;

	for (p = url; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			break;
	bad = *p || !u || (strncmp(url, "http://", 7) && strncmp(url, "https://", 8)) ||
	      curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK || n + k >= sizeof(m->url);
	curl_url_cleanup(u);
	if (bad) {
		snprintf(err, errlen, "invalid Alertmanager URL (want http://HOST:PORT or https://...; %zu characters, control characters or spaces not allowed)", n);
		return -1;
	}
	while (n && url[n - 1] == '/')
		n--;
	if (n >= k && !strncmp(url + n - k, suffix, k))
		snprintf(m->url, sizeof(m->url), "%.*s", (int)n, url);
	else
		snprintf(m->url, sizeof(m->url), "%.*s%s", (int)n, url, suffix);
	return 0;
}

struct sw_am *sw_am_start(const char *url, const char *node, char *err,
			  size_t errlen)
{
	struct sw_am *m = calloc(1, sizeof(*m));

	if (!m) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (set_url(m, url, err, errlen)) {
		free(m);
		return NULL;
	}
	if (sw_map_init(&m->active, sizeof(struct am_active), sizeof(struct am_id), 16)) {
		snprintf(err, errlen, "out of memory");
		free(m);
		return NULL;
	}
	if (node && *node)
		snprintf(m->node, sizeof(m->node), "%s", node);
	else if (gethostname(m->node, sizeof(m->node) - 1))
		snprintf(m->node, sizeof(m->node), "unknown");
	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->wake, NULL);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) ||
	    pthread_create(&m->thread, NULL, sender, m)) {
		snprintf(err, errlen, "cannot start the Alertmanager sender");
		sw_map_free(&m->active);
		pthread_mutex_destroy(&m->lock);
		pthread_cond_destroy(&m->wake);
		free(m);
		return NULL;
	}
	return m;
}

void sw_am_stop(struct sw_am *m)
{
	size_t i;

	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	m->stopping = true;
	pthread_cond_signal(&m->wake);
	pthread_mutex_unlock(&m->lock);
	pthread_join(m->thread, NULL);
	pop(m, m->n, false);
	for (i = 0; i < sw_map_count(&m->active); i++)
		free_strings(sw_map_at(&m->active, i));
	sw_map_free(&m->active);
	pthread_mutex_destroy(&m->lock);
	pthread_cond_destroy(&m->wake);
	curl_global_cleanup();
	free(m);
}

void sw_am_get_stats(struct sw_am *m, struct sw_am_stats *s)
{
	memset(s, 0, sizeof(*s));
	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	*s = m->st;
	s->queued = m->n;
	pthread_mutex_unlock(&m->lock);
	s->firing = sw_map_count(&m->active);
}

void sw_am_write_metrics(struct sw_am *m, struct sw_prom *p)
{
	struct sw_am_stats s;

	sw_am_get_stats(m, &s);
	sw_prom_family(p, "sockwatch_alerts_delivery_failures_total", SW_PROM_COUNTER,
		       "Posts to Alertmanager that failed (each attempt; they are retried).");
	sw_prom_u64(p, NULL, 0, s.failures);
	sw_prom_family(p, "sockwatch_alerts_delivered_total", SW_PROM_COUNTER,
		       "Alert posts (firing, refreshed or resolved) Alertmanager accepted.");
	sw_prom_u64(p, NULL, 0, s.sent);
	sw_prom_family(p, "sockwatch_alerts_delivery_dropped_total", SW_PROM_COUNTER,
		       "Alert posts given up on: queue full, or undelivered for 10 minutes.");
	sw_prom_u64(p, NULL, 0, s.dropped);
	sw_prom_family(p, "sockwatch_alerts_delivery_queue", SW_PROM_GAUGE,
		       "Alert posts waiting for Alertmanager.");
	sw_prom_u64(p, NULL, 0, s.queued);
	sw_prom_family(p, "sockwatch_alerts_firing", SW_PROM_GAUGE,
		       "Alerts firing at Alertmanager now (episodes not yet resolved).");
	sw_prom_u64(p, NULL, 0, s.firing);
}
