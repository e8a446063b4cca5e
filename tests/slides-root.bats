#!/usr/bin/env bats
# mvrc: runs-as root
# The talk's output for the root-only steps (02, 03) is written into the slides
# by hand, after a `static:` directive; here each such block is compared with a
# real run of the step as root. (The rest of the talk: tests/slides.bats.)

load helpers/common

setup_file() {
	if ! command -v node >/dev/null; then
		echo "needs node (run scripts/install-deps.sh slides)" >"$BATS_FILE_TMPDIR/skip"
		return 0
	fi
	# build.mjs alone lists the static blocks; it needs no npm packages.
	node "$REPO/slides/build.mjs" --out "$BATS_FILE_TMPDIR/talk.md" >"$BATS_FILE_TMPDIR/build.log" 2>&1
	echo $? >"$BATS_FILE_TMPDIR/build.status"
}

setup() {
	if [[ -f $BATS_FILE_TMPDIR/skip ]]; then
		skip "$(cat "$BATS_FILE_TMPDIR/skip")"
	fi
}

@test "the slides show the root-only steps' output in static blocks" {
	[[ $(cat "$BATS_FILE_TMPDIR/build.status") == 0 ]] || { cat "$BATS_FILE_TMPDIR/build.log"; false; }
	run node -e 'console.log(require(process.argv[1]).static.length)' "$BATS_FILE_TMPDIR/manifest.json"
	[[ $output -gt 0 ]]
}

@test "every static terminal block on the slides matches a real run as root" {
	require_root
	[[ $(cat "$BATS_FILE_TMPDIR/build.status") == 0 ]] || { cat "$BATS_FILE_TMPDIR/build.log"; false; }
	run $AS_ROOT node "$REPO/slides/test/check-static.mjs" "$BATS_FILE_TMPDIR/manifest.json" --as root
	echo "$output"
	[[ $status -eq 0 ]]
	[[ $output == *"0 mismatched"* ]]
}
