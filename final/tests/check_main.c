/* check_main.c - run every unit test suite; one summary line at the end. */
#include <stdlib.h>

#include "tests.h"

int main(void)
{
	SRunner *sr = srunner_create(units_suite());
	int failed;

	srunner_add_suite(sr, cli_suite());
	srunner_add_suite(sr, ids_suite());
	srunner_add_suite(sr, capabilities_suite());
	srunner_add_suite(sr, env_suite());
	srunner_add_suite(sr, cgroups_suite());
	srunner_add_suite(sr, network_suite());
	srunner_add_suite(sr, oci_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
