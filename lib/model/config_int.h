/*
 * config_int.h - what config.c (reading the files) and config_keys.c (the key tables and typed
 * values) share; private to the two.
 */
#ifndef SR_CONFIG_INT_H
#define SR_CONFIG_INT_H

#include "config.h"

#include <stdbool.h>
#include <stddef.h>

enum key_type { T_STR, T_INT, T_BOOL, T_DURATION, T_MONEY, T_DATE, T_LIST, T_LOGLEVEL };

enum {
    F_RESTART = 1 << 0,  /* read at start only; a reload keeps the old value */
    F_REQUIRED = 1 << 1, /* must be set in the file */
    F_SECRET = 1 << 2,   /* value never appears in messages */
};

typedef const char *check_fn(const char *value);

struct key_def {
    const char *name;
    enum key_type type;
    size_t off;
    const char *def; /* default as text; NULL = unset */
    unsigned flags;
    long min, max; /* T_INT bounds */
    check_fn *check;
    const char *help;
};

enum section_kind {
    SEC_NONE,
    SEC_DAEMON,
    SEC_PLATFORM,
    SEC_ACCOUNT,
    SEC_CAMPAIGN,
    SEC_FX,
    SEC_CRED,
    SEC_HASHING,
    SEC_ALERT,
    SEC_COUNT
};

struct section_def {
    const char *kind;
    bool named;
    const struct key_def *keys;
    size_t nkeys;
};

/* The sections and their keys, indexed by section_kind. */
extern const struct section_def config_sections[SEC_COUNT];

/* Whether a value is an example's placeholder ("CHANGE_ME", "<...>") rather than a value. */
bool config_is_placeholder(const char *v);
void config_list_add(struct cfg_list *l, const char *item, struct cfg_where w);
/* Parses v into k's field of obj; NULL, or why the value is refused. */
const char *config_set_value(const struct key_def *k, void *obj, const char *v, struct cfg_where w);
/* Sets every key of the section that has a default to it. */
void config_apply_defaults(enum section_kind kind, void *obj);

#endif
