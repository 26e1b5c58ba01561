// SPDX-License-Identifier: GPL-2.0
/* Reading, parsing and extracting one file (see parse.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "go_extract.h"
#include "parse.h"
#include "py_extract.h"
#include "tsutil.h"
#include "util.h"

/* Whole file in a new buffer; NULL with f->error set on failure. */
static char *read_source(struct srcfile *f, size_t *len)
{
	struct stat st;
	char *buf = NULL;
	size_t done = 0;
	int fd;

	/* non-blocking: a FIFO swapped in after the walk must not hang the scan */
	fd = open(f->fullpath, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	buf = xmalloc(st.st_size + 1);
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + done, st.st_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		done += n;
	}
	buf[done] = '\0';
	close(fd);
	*len = done;
	f->size = done;
	return buf;
fail:
	free(f->error);
	f->error = xasprintf("cannot read: %s", strerror(errno));
	f->unreadable = 1;
	free(buf);
	if (fd >= 0)
		close(fd);
	return NULL;
}

/*
 * Is this not source text? A NUL byte in the first 8 KiB (as git and grep
 * decide), or more than one byte in eight there not UTF-8 text. Parsing
 * such a file finds nothing and costs tree-sitter's error recovery far
 * more than linear time.
 */
#define BINARY_PROBE 8192

static int looks_binary(const char *src, size_t len)
{
	size_t n = len < BINARY_PROBE ? len : BINARY_PROBE, bad;
	char *probe;

	if (memchr(src, '\0', n))
		return 1;
	probe = xstrndup(src, n);
	bad = utf8_bad_bytes(probe);	/* a character cut at the end counts too */
	free(probe);
	return bad > 3 && bad * 8 > n;
}

/* Note the first syntax error of @root in @f. */
static void note_syntax_error(struct srcfile *f, TSNode root)
{
	TSNode err;

	if (f->error)
		return;		/* an earlier part's error comes first */
	err = ts_first_error(root);
	if (ts_node_is_null(err))
		return;
	if (ts_node_is_missing(err))
		f->error = xasprintf("syntax error: missing %s", ts_node_type(err));
	else
		f->error = xstrdup("syntax error");
	f->error_line = f->line_base + ts_node_start_point(err).row + 1;
}

/*
 * A syntax tree takes some 65 times the bytes of its source: a huge file
 * (generated code) is parsed in parts of about this size, cut where a
 * line starts a top-level declaration, so that memory stays bounded
 * whatever the file's size. Top-level names and imports live in the file,
 * not in the tree, so each part sees those of the parts before it.
 */
#define PART_BYTES (1 << 20)

static int starts_top_level(enum lang lang, const char *p, const char *end)
{
	static const char *const py[] = { "def ", "class ", "async def ", "@" };
	size_t i, n;

	if (lang == LANG_GO)
		return go_starts_decl(p, end);
	for (i = 0; i < sizeof(py) / sizeof(py[0]); i++) {
		n = strlen(py[i]);
		if ((size_t)(end - p) > n && !memcmp(p, py[i], n))
			return 1;
	}
	return 0;
}

/* End of the part that starts at @from: the first cut past PART_BYTES. */
static size_t part_end(enum lang lang, const char *src, size_t len, size_t from)
{
	const char *p, *end = src + len;

	if (len - from < 2 * PART_BYTES)
		return len;
	for (p = src + from + PART_BYTES; (p = memchr(p, '\n', end - p)); )
		if (starts_top_level(lang, ++p, end))
			return p - src;
	return len;
}

static size_t count_lines(const char *p, size_t n)
{
	const char *end = p + n;
	size_t lines = 0;

	while ((p = memchr(p, '\n', end - p))) {
		lines++;
		p++;
	}
	return lines;
}

void parse_buffer(struct srcfile *f, const char *src, size_t len)
{
	size_t from = 0, to;

	f->line_base = 0;
	do {
		TSTree *tree;
		TSNode root;

		to = part_end(f->lang, src, len, from);
		tree = ts_parse(f->lang, src + from, to - from);
		root = ts_tree_root_node(tree);
		note_syntax_error(f, root);
		if (f->lang == LANG_GO) {
			if (!f->imports && !f->pkgname)
				go_read_header(f, src + from, root);
			go_extract(f, src + from, root);
		} else {
			py_extract(f, src + from, root);
		}
		ts_tree_delete(tree);
		f->line_base += count_lines(src + from, to - from);
		from = to;
	} while (from < len);
	if (f->lang == LANG_PY)
		py_prune_sites(f);
	f->line_base = 0;
	f->parsed = 1;
}

/* Go: the header alone, unless it has errors. NULL: parse it all. */
static TSTree *parse_go_header(struct srcfile *f, const char *src, size_t len)
{
	size_t hl = go_header_len(src, len);
	TSTree *tree;

	if (hl == len)
		return NULL;
	tree = ts_parse(LANG_GO, src, hl);
	if (ts_node_has_error(ts_tree_root_node(tree))) {
		ts_tree_delete(tree);
		return NULL;
	}
	go_read_header(f, src, ts_tree_root_node(tree));
	return tree;
}

void parse_first(struct scan *sc, struct srcfile *f)
{
	size_t len;
	char *src = read_source(f, &len);
	TSTree *tree = NULL;

	if (!src)
		return;
	if (looks_binary(src, len)) {
		free(f->error);
		f->error = xstrdup("binary file, skipped");
		f->binary = 1;
		free(src);
		return;
	}
	if (f->lang == LANG_GO && !sc->opt.full_parse)
		tree = parse_go_header(f, src, len);
	if (tree) {
		ts_tree_delete(tree);
		if (!f->watched)
			goto out;
	}
	parse_buffer(f, src, len);
out:
	free(src);
}

int parse_again(struct srcfile *f, void (*before)(struct srcfile *f, void *arg), void *arg)
{
	char *error = f->error, *src;
	int unreadable = f->unreadable;
	size_t len;

	f->error = NULL;
	src = read_source(f, &len);
	if (!src) {
		/* gone or changed since it was read: keep what was extracted */
		free(f->error);
		f->error = error;
		f->unreadable = unreadable;
		return -1;
	}
	free(error);
	before(f, arg);
	parse_buffer(f, src, len);
	free(src);
	return 0;
}

void parse_full(struct scan *sc, struct srcfile *f)
{
	size_t len;
	char *src = read_source(f, &len);

	if (!src)
		return;
	parse_buffer(f, src, len);
	free(src);
}
