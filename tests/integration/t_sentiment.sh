# t_sentiment.sh - the tone of mentions on posts people rated: sentiment_eval over VADER's 4,200
# tweets with mean human ratings (tests/data/sentiment/). Measured: accuracy 0.816, macro-F1
# 0.698 (the lexicon scorer before it: 0.489 and 0.466); the floor sits 0.05 under, so only a
# real regression fails. The figures and posts per second are printed as comments.
. tests/integration/lib.sh

DATA=tests/data/sentiment/tweets_GroundTruth.txt
out="$TEST_DIR/eval.out"

check_eq "the labelled posts are all there" 4199 "$(wc -l <"$DATA" | tr -d ' ')"
check "accuracy >= 0.76 and macro-F1 >= 0.64 on the rated tweets" \
    $SR_WRAP "$B/tests/tools/sentiment_eval" --min-accuracy 0.76 --min-f1 0.64 "$DATA"
cp "$TEST_DIR/check.out" "$out"
sed -e 's/^/# /' "$out"
sed -n -e 's/^current scorer: *\(accuracy [0-9.]*\) *\(macro-F1 [0-9.]*\).*/# measured: sentiment on 4,200 rated tweets: \1, \2/p' "$out"
check_grep "the old scorer is measured in the same run" '^old scorer: +accuracy 0\.[0-9]{3}' "$out"
check_grep "and 4,200 posts were read" '^posts: 4200 ' "$out"

# the floor bites: a floor above what the scorer does fails
check_rc 1 "a floor above the measured accuracy fails" \
    "$B/tests/tools/sentiment_eval" --min-accuracy 0.99 "$DATA"
check_rc 2 "a file that cannot be read is an error" \
    "$B/tests/tools/sentiment_eval" "$TEST_DIR/missing.txt"

done_testing
