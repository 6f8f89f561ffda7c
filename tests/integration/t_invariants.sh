# t_invariants.sh - properties of the built binaries: nothing that blocks the event loop is
# linked into socialroid (DESIGN §3 invariant 1), proved on the symbols, not by reading code.
. tests/integration/lib.sh

blocking='^(PQexec|PQexecParams|PQexecPrepared|PQprepare|PQconnectdb|PQconnectdbParams|PQsetdbLogin|PQgetResult_blocking|curl_easy_perform|sleep|usleep|nanosleep|getaddrinfo|gethostbyname|gethostbyname_r|system|popen)(@.*)?$'
nm -u "$B/socialroid" | awk '{print $2}' >"$TEST_DIR/undef.txt"
if grep -Eq "$blocking" "$TEST_DIR/undef.txt"; then
    not_ok "socialroid links no blocking call" "$(grep -E "$blocking" "$TEST_DIR/undef.txt")"
else
    ok "socialroid links no blocking call"
fi
# and the async entry points it must use are there
for sym in PQconnectStart PQconnectPoll PQsendQueryParams PQenterPipelineMode PQsetnonblocking; do
    if grep -Eq "^$sym(@.*)?$" "$TEST_DIR/undef.txt"; then ok "socialroid uses $sym"; else not_ok "socialroid uses $sym"; fi
done
done_testing
