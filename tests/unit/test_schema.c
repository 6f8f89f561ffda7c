/*
 * test_schema.c - the embedded migrations: names, order, no transaction control inside.
 */
#include "unit.h"
#include "schema.h"

#include <string.h>

static void test_names_and_order(void **state)
{
    (void)state;
    assert_true(schema_nfiles >= 1);
    for (size_t i = 0; i < schema_nfiles; i++) {
        int v = schema_file_version(schema_files[i].name);
        /* versions start at 001 and have no gaps, so an out-of-order merge shows up here */
        assert_int_equal(v, (int)i + 1);
        assert_non_null(strstr(schema_files[i].name, ".sql"));
        assert_int_equal(strlen(schema_files[i].sql), schema_files[i].len);
    }
    assert_int_equal(schema_expected_version(), (int)schema_nfiles);
}

static void test_version_parse(void **state)
{
    (void)state;
    assert_int_equal(schema_file_version("012_x.sql"), 12);
    assert_int_equal(schema_file_version("12_x.sql"), -1);
    assert_int_equal(schema_file_version("012.sql"), -1);
    assert_int_equal(schema_file_version("abc_x.sql"), -1);
}

/* Each file runs inside the runner's own transaction: it must not open or end one. */
static void test_no_transaction_control(void **state)
{
    (void)state;
    for (size_t i = 0; i < schema_nfiles; i++) {
        const char *s = schema_files[i].sql;
        for (const char *p = s; *p; p++) {
            if (p != s && p[-1] != '\n')
                continue;
            assert_false(strncmp(p, "BEGIN;", 6) == 0);
            assert_false(strncmp(p, "COMMIT;", 7) == 0);
            assert_false(strncmp(p, "ROLLBACK;", 9) == 0);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_and_order),
        cmocka_unit_test(test_version_parse),
        cmocka_unit_test(test_no_transaction_control),
    };
    return cmocka_run_group_tests_name("schema", tests, NULL, NULL);
}
