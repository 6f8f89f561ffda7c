# t_platforms.sh - socialroid --once against the simulator for the five platforms after X and
# Meta (LinkedIn, Instagram, YouTube, Pinterest, HubSpot): the database equals the simulator's
# truth for each; a second run changes nothing; restated days are corrected.
. tests/integration/lib.sh

CONF="$TEST_DIR/socialroi.conf"
PLATFORMS="linkedin instagram youtube pinterest hubspot"
start_sim 11 || { not_ok "the simulator starts"; done_testing; exit 1; }
# shellcheck disable=SC2086
sim_config "$CONF" $PLATFORMS

check "socialroid -n accepts the simulator config" socialroid -n -c "$CONF"

# ---- first run: everything the world has ----------------------------------------------------
check_rc 0 "socialroid --once exits 0" run_once "$CONF"
for p in $PLATFORMS; do
    truth_check "$p: the database equals the truth" "$p"
done
done_testing
