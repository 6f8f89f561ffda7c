/*
 * panelcmd.h - socialroi export panel and socialroi import mmm: the weekly panel that
 * marketing-mix models (Google's Meridian, Meta's Robyn) take, written from finance.mmm_panel
 * with a manifest, and a model's per-channel ROI read back through finance.import_mmm.
 * Blocking libpq: command-line tool only.
 */
#ifndef SR_PANELCMD_H
#define SR_PANELCMD_H

/* The commands' own usage texts (printed by --help). */
extern const char panelcmd_export_help[];
extern const char panelcmd_import_help[];

/* socialroi export ...: argv[0] is "export". Returns the exit code (0, 1 runtime, 2 usage). */
int panelcmd_export(int argc, char **argv);

/* socialroi import ...: argv[0] is "import". Returns the exit code (0, 1 runtime, 2 usage). */
int panelcmd_import(int argc, char **argv);

#endif
