/*
 * fuzz_config.c - libFuzzer target for the configuration loader.
 *
 * The input becomes the main configuration file (through a memfd, so the real path-based
 * loader runs, includes and all). Any input must give a config or a list of errors: never a
 * crash, a hang, a leak or undefined behaviour.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz.conf", 0);
    char path[64], *err = NULL;
    if (fd < 0)
        return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    struct config *cfg = config_load(path, 0, &err);
    if (!cfg && !err)
        abort(); /* a failed load must say why */
    config_free(cfg);
    free(err);
    close(fd);
    return 0;
}
