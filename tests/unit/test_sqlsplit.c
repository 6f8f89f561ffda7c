/*
 * test_sqlsplit.c - migration files split into statements: semicolons inside strings,
 * identifiers, comments and dollar-quoted bodies do not end a statement.
 */
#include "unit.h"
#include "sqlsplit.h"

#include <string.h>

static void test_statements(void **state)
{
    (void)state;
    const char *sql = "CREATE TABLE a (x text DEFAULT ';');\n"
                      "-- a comment; with a semicolon\n"
                      "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;\n"
                      "DO $body$ BEGIN PERFORM 1; END $body$;\n"
                      "SELECT $1, \"we;ird\" /* ; */ FROM b;\n"
                      "-- trailing comment\n";
    size_t len = strlen(sql), off = 0, n;
    const char *ends[] = {"';');", "$$;", "$body$;", "FROM b;"};
    for (int i = 0; i < 4; i++) {
        n = sqlsplit_next(sql + off, len - off);
        assert_true(n >= strlen(ends[i]));
        assert_memory_equal(sql + off + n - strlen(ends[i]), ends[i], strlen(ends[i]));
        assert_false(sqlsplit_blank(sql + off, n));
        off += n;
    }
    n = sqlsplit_next(sql + off, len - off);
    assert_int_equal(off + n, len);
    assert_true(sqlsplit_blank(sql + off, n));
    assert_int_equal(sqlsplit_line(sql, 0), 1);
    off = strlen("CREATE TABLE a (x text DEFAULT ';');");
    assert_int_equal(sqlsplit_line(sql, off + sqlsplit_lead(sql + off, len - off)), 3);
    assert_int_equal(sqlsplit_line(sql, strstr(sql, "DO $body$") - sql), 4);
}

static void test_unterminated(void **state)
{
    (void)state;
    const char *sql = "SELECT 'open; still open";
    assert_int_equal(sqlsplit_next(sql, strlen(sql)), strlen(sql));
    sql = "SELECT $$ never closed; ";
    assert_int_equal(sqlsplit_next(sql, strlen(sql)), strlen(sql));
    sql = "SELECT 'it''s; fine'; x";
    assert_int_equal(sqlsplit_next(sql, strlen(sql)), strlen("SELECT 'it''s; fine';"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statements),
        cmocka_unit_test(test_unterminated),
    };
    return cmocka_run_group_tests_name("sqlsplit", tests, NULL, NULL);
}
