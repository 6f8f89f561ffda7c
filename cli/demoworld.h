/*
 * demoworld.h - the configuration `socialroi demo` writes for the simulated world: one
 * [platform] per simulated platform pointing at the simulator, its accounts and credentials,
 * the world's business campaigns (campaigns.d/world.conf, included) and its FX rates.
 *
 * Pure text generation from the simulator's /_world; the caller writes the files.
 */
#ifndef SR_DEMOWORLD_H
#define SR_DEMOWORLD_H

#include "buf.h"
#include "json.h"

/*
 * Appends to conf (socialroi.conf, after its [daemon] section), creds (the credentials file) and
 * campaigns (campaigns.d/world.conf) what world describes, for a simulator on port.
 */
void demoworld_config(const cJSON *world, int port, struct buf *conf, struct buf *creds,
                      struct buf *campaigns);

#endif
