/* tests.h - the unit test suites, one per module that needs no kernel. */
#ifndef MVRC_TESTS_H
#define MVRC_TESTS_H

#include <check.h>

Suite *units_suite(void);
Suite *cli_suite(void);
Suite *ids_suite(void);
Suite *capabilities_suite(void);
Suite *env_suite(void);
Suite *cgroups_suite(void);
Suite *network_suite(void);
Suite *oci_suite(void);

#endif
