/* A program outside the tree: built against the installed header and
 * library through pkg-config, it folds a profile given on the command line. */
#include <heapflame.h>

#include <stdio.h>

int main(int argc, char **argv)
{
	hf_profile *p = NULL;
	hf_stacks *s = NULL;
	hf_error err = {0};
	if (argc != 2)
		return 1;
	if (hf_profile_parse_file(&p, argv[1], NULL, &err) != HF_OK ||
	    hf_stacks_fold(&s, p, NULL, &err) != HF_OK) {
		fprintf(stderr, "%s\n", err.message);
		hf_profile_free(p);
		return 2;
	}
	hf_writer w = hf_writer_file(stdout);
	int rc = hf_stacks_write_collapsed(s, &w, &err);
	hf_stacks_free(s);
	hf_profile_free(p);
	return rc == HF_OK ? 0 : 2;
}
