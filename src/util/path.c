/* Go's filepath.Clean, shared by the call graph, the traces and the
 * source lookup (pprof cleans every file name it shows or looks up). */
#include "util.h"

size_t hf__path_clean(char *out, const char *path, size_t len)
{
	bool rooted = len > 0 && path[0] == '/';
	size_t w = 0, r = 0, dotdot = 0;
	if (rooted) {
		out[w++] = '/';
		r = 1;
		dotdot = 1;
	}
	while (r < len) {
		if (path[r] == '/') {
			r++;
		} else if (path[r] == '.' && (r + 1 == len || path[r + 1] == '/')) {
			r++;
		} else if (path[r] == '.' && r + 1 < len && path[r + 1] == '.' &&
			(r + 2 == len || path[r + 2] == '/')) {
			/* ".." drops the last element, or is kept where there is
			 * none to drop (a relative path's leading ".."s). */
			r += 2;
			if (w > dotdot) {
				w--;
				while (w > dotdot && out[w] != '/')
					w--;
			} else if (!rooted) {
				if (w > 0)
					out[w++] = '/';
				out[w++] = '.';
				out[w++] = '.';
				dotdot = w;
			}
		} else {
			if ((rooted && w != 1) || (!rooted && w != 0))
				out[w++] = '/';
			while (r < len && path[r] != '/')
				out[w++] = path[r++];
		}
	}
	if (w == 0)
		out[w++] = '.';
	out[w] = '\0';
	return w;
}
