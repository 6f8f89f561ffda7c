# t_hubspot_assoc.sh - HubSpot's per-deal association paging end to end: a simulator that
# answers one contact per deal in each batch-read result and in each deals-list result's
# embedded associations (--hs-assoc-page 1), so every deal with two contacts needs a second
# answer asked with the `after` its first one gave. The full load reads the deals list: each deal
# whose embedded contacts were cut short is read again by the batch read before the next list
# page, and the load must equal the truth without a partial-error warning. After a full load,
# the deals' contacts are removed and the deals watermark set back before every deal: the next
# run reads every deal with the search and every contact with the batch read, and each
# deal_contact must equal the simulator's truth, with no partial-error warning.
. tests/integration/lib.sh

CONF="$TEST_DIR/socialroi.conf"
SIM_ARGS="--hs-assoc-page 1" start_sim 12 || {
    not_ok "a simulator paging associations one contact a time starts"
    done_testing
    exit 1
}
SIM_TIMEOUT=15s sim_config "$CONF" hubspot
sed -i -e 's/^log_level = info$/log_level = debug/' "$CONF"
sim_get /_truth >"$TEST_DIR/truth0.json"
PORTAL=$(jq -r '.hubspot.accounts[0].portal_id' "$TEST_DIR/world.json")
two=$(jq -r --arg p "$PORTAL" '[.hubspot[$p].deals[] | select((.contacts | length) > 1)] | length' \
    "$TEST_DIR/truth0.json")
[ "$two" -gt 0 ] && ok "the world has deals with two contacts ($two): more than one answer holds" ||
    not_ok "the world has deals with two contacts" "$two"

# requests LOG PATH: requests of hubspot.deals to the path (URL up to '?')
requests() {
    grep -c "engine: fetch account=[^ ]* stream=hubspot.deals url=http://[^ ]*/hubspot$2\$" "$1"
}

check_rc 0 "--once loads the portal" run_once "$CONF"
truth_check "hubspot: the load equals the truth" hubspot
list=$(requests "$TEST_DIR/daemon.log" /crm/v3/objects/deals)
batch=$(requests "$TEST_DIR/daemon.log" /crm/v4/associations/deals/contacts/batch/read)
[ "$list" -ge 1 ] && [ "$batch" -ge 1 ] &&
    ok "the full load lists the deals and reads the cut deals' contacts with the batch read ($list list pages, $batch batch reads)" ||
    not_ok "the full load reads the cut deals' contacts with the batch read" "$list list pages, $batch batch reads"
if grep -q 'engine: page had partial errors account=[^ ]* stream=hubspot.deals' "$TEST_DIR/daemon.log"; then
    not_ok "the full load cuts no deal's contacts short" "$(grep 'partial errors' "$TEST_DIR/daemon.log" | head -3)"
else
    ok "the full load cuts no deal's contacts short"
fi

# Every deal again through the search and the batch read.
sql "DELETE FROM socialroi.deal_contact" >/dev/null
n=$(sql "UPDATE socialroi.poll_job SET cursor = jsonb_set(cursor::jsonb, '{watermark}', '1000000')::text
         WHERE stream = 'hubspot.deals' AND cursor::jsonb ? 'watermark' RETURNING 1" | wc -l)
[ "$n" -eq 1 ] && ok "the deals watermark is set back before every deal" ||
    not_ok "the deals watermark is set back" "$(sql "SELECT stream, cursor FROM socialroi.poll_job")"
make_due
: >"$TEST_DIR/daemon.log"
check_rc 0 "--once reads every deal with the search" run_once "$CONF"
truth_check "hubspot: every deal_contact read through paged associations equals the truth" hubspot
got=$(sql "SELECT count(*) FROM socialroi.deal_contact")
want=$(jq -r --arg p "$PORTAL" '[.hubspot[$p].deals[].contacts[]] | length' "$TEST_DIR/truth.json")
[ "$got" -eq "$want" ] && ok "every pair is stored ($got)" || not_ok "every pair is stored" "$got of $want"
search=$(requests "$TEST_DIR/daemon.log" /crm/v3/objects/deals/search)
batch=$(requests "$TEST_DIR/daemon.log" /crm/v4/associations/deals/contacts/batch/read)
# a search page with deals is followed by one batch read by id and, when one of its deals has
# two contacts, one more with the afters: no deal has more than two, so never a third round
[ "$search" -ge 1 ] && [ "$batch" -gt "$search" ] && [ "$batch" -le $((search * 2)) ] &&
    ok "the deals with more contacts are asked again with their after, once ($search searches, $batch batch reads)" ||
    not_ok "the deals with more contacts are asked again with their after, once" "$search searches, $batch batch reads"
if grep -q 'engine: page had partial errors account=[^ ]* stream=hubspot.deals' "$TEST_DIR/daemon.log"; then
    not_ok "no deal's contacts are cut short (no partial-error warning)" "$(grep 'partial errors' "$TEST_DIR/daemon.log" | head -3)"
else
    ok "no deal's contacts are cut short (no partial-error warning)"
fi
n=$(sql "SELECT count(*) FROM socialroi.fetch_run WHERE error_class IS NOT NULL")
[ "$n" -eq 0 ] && ok "no request was refused" || not_ok "no request was refused" "$n failed fetches"
stop_sim
done_testing
