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

	fd = open(f->fullpath, O_RDONLY | O_CLOEXEC);
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

/* Note the first syntax error of @root in @f. */
static void note_syntax_error(struct srcfile *f, TSNode root)
{
	TSNode err = ts_first_error(root);

	if (ts_node_is_null(err))
		return;
	free(f->error);
	if (ts_node_is_missing(err))
		f->error = xasprintf("syntax error: missing %s", ts_node_type(err));
	else
		f->error = xstrdup("syntax error");
	f->error_line = ts_node_start_point(err).row + 1;
}

static void extract_tree(struct srcfile *f, const char *src, TSTree *tree)
{
	TSNode root = ts_tree_root_node(tree);

	note_syntax_error(f, root);
	if (f->lang == LANG_GO) {
		if (!f->imports && !f->pkgname)
			go_read_header(f, src, root);
		go_extract(f, src, root);
	} else {
		py_extract(f, src, root);
	}
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
	if (f->lang == LANG_GO && !sc->opt.full_parse)
		tree = parse_go_header(f, src, len);
	if (tree) {
		ts_tree_delete(tree);
		if (!f->watched)
			goto out;
	}
	tree = ts_parse(f->lang, src, len);
	extract_tree(f, src, tree);
	ts_tree_delete(tree);
out:
	free(src);
}

void parse_full(struct scan *sc, struct srcfile *f)
{
	size_t len;
	char *src = read_source(f, &len);
	TSTree *tree;

	if (!src)
		return;
	tree = ts_parse(f->lang, src, len);
	extract_tree(f, src, tree);
	ts_tree_delete(tree);
	free(src);
}
