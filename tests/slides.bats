#!/usr/bin/env bats
# The talk in slides/: built from the repository's own code and output, and
# opened in a real browser (Debian's chromium, headless, no network), the way a
# person would see it. Runs as an ordinary user.

load helpers/common
load helpers/cgroups

SLIDES=$REPO/slides

setup_file() {
	local c
	for c in node npm; do
		if ! command -v $c >/dev/null; then
			echo "needs $c (run scripts/install-deps.sh slides)" >"$BATS_FILE_TMPDIR/skip"
			return 0
		fi
	done
	# One build and one browser session for the whole suite; the tests read
	# what they left behind.
	make -C "$SLIDES" >"$BATS_FILE_TMPDIR/build.log" 2>&1
	echo $? >"$BATS_FILE_TMPDIR/build.status"
	if [[ $(cat "$BATS_FILE_TMPDIR/build.status") == 0 && -x ${CHROME_PATH:-/usr/bin/chromium} ]]; then
		(cd "$SLIDES" && node test/check-deck.mjs dist/index.html "$BATS_FILE_TMPDIR/shots") \
			>"$BATS_FILE_TMPDIR/report.json" 2>"$BATS_FILE_TMPDIR/browser.log"
	fi
}

setup() {
	if [[ -f $BATS_FILE_TMPDIR/skip ]]; then
		skip "$(cat "$BATS_FILE_TMPDIR/skip")"
	fi
}

teardown() {
	teardown_cgroups
}

# report EXPR: a value from the browser's report (a JavaScript expression on r).
report() {
	node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		const v = (new Function("r", "return " + process.argv[2]))(r);
		console.log(typeof v === "string" ? v : JSON.stringify(v));' "$BATS_FILE_TMPDIR/report.json" "$1"
}

manifest() {
	node -e 'const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		console.log(JSON.stringify((new Function("m", "return " + process.argv[2]))(m)));' "$SLIDES/dist/manifest.json" "$1"
}

needs_build() {
	if [[ $(cat "$BATS_FILE_TMPDIR/build.status") != 0 ]]; then
		cat "$BATS_FILE_TMPDIR/build.log"
		false
	fi
}

needs_browser() {
	needs_build
	[[ -x ${CHROME_PATH:-/usr/bin/chromium} ]] || skip "needs chromium (run scripts/install-deps.sh slides)"
	if [[ ! -s $BATS_FILE_TMPDIR/report.json ]]; then
		echo "the browser check produced no report:"
		cat "$BATS_FILE_TMPDIR/browser.log"
		false
	fi
}

# bad_directive DIRECTIVE: build a copy of one slide source with DIRECTIVE
# added on a slide of its own at the end; sets $status, $output and $line_no.
bad_directive() {
	local copy=$BATS_TEST_TMPDIR/talk
	mkdir -p "$copy"
	cp "$SLIDES/talk/00-opening.md" "$copy/"
	printf '\n---\n\n## A slide that refers to what is not there\n\n%s\n\n<!-- notes -->\n' "$1" >>"$copy/00-opening.md"
	line_no=$(grep -nF -- "$1" "$copy/00-opening.md" | cut -d: -f1)
	run node "$SLIDES/build.mjs" --out "$BATS_TEST_TMPDIR/out/talk.md" "$copy/00-opening.md"
}

# ---- the build -------------------------------------------------------------

@test "make slides builds dist/index.html from the slide sources" {
	needs_build
	[[ -s $SLIDES/dist/index.html ]]
	grep -q '<svg data-marpit-svg' "$SLIDES/dist/index.html"
	grep -E '^slides: [0-9]+ slides, [0-9]+ directives resolved' "$BATS_FILE_TMPDIR/build.log"
}

@test "every include, run and static directive in the sources was resolved" {
	needs_build
	local in_source
	in_source=$(cat "$SLIDES"/talk/*.md | grep -cE '^\s*<!--\s*(include|run|static)\s*:')
	((in_source > 0))
	[[ $(manifest 'm.directives.length') == "$in_source" ]]
	# None is left in the Markdown that Marp rendered, nor in the deck.
	! grep -qE '<!--\s*(include|run|static)\s*:' "$SLIDES/dist/talk.md"
	! grep -qE '(include|run|static):' <(grep -o 'bespoke-marp-note[^<]*<[^/]*' "$SLIDES/dist/index.html")
}

@test "the code on the slides is the steps' own code" {
	needs_build
	# die() as step 01 defines it appears, line for line, in the deck's Markdown.
	local fn
	fn=$(awk '/^die\(/ { on = 1 } on { print } on && /^}$/ { exit }' "$REPO/steps/01-fork/container.c")
	[[ -n $fn ]]
	node -e 'const fs = require("fs");
		process.exit(fs.readFileSync(process.argv[1], "utf8").includes(process.argv[2]) ? 0 : 1)' \
		"$SLIDES/dist/talk.md" "$fn"
	[[ $(manifest 'm.directives.filter(d => d.kind === "include").length') -ge 5 ]]
}

@test "the terminal output on the slides was captured from real runs" {
	needs_build
	[[ $(manifest 'm.directives.filter(d => d.kind === "run").length') -gt 5 ]]
	# A run directive of step 01 shows the exit status the step passed on.
	grep -q '^\$ echo \$?$' "$SLIDES/dist/talk.md"
}

@test "a directive naming a step that does not exist stops the build at its line" {
	bad_directive '<!-- include: diff 01 99 -->'
	[[ $status -ne 0 ]]
	[[ $output == *"00-opening.md:$line_no: no step 99"* ]]
}

@test "a directive naming a function that does not exist stops the build at its line" {
	bad_directive '<!-- include: function 01 no_such_function -->'
	[[ $status -ne 0 ]]
	[[ $output == *"00-opening.md:$line_no: no function no_such_function() in steps/01-fork/container.c"* ]]
}

@test "a directive naming a file or a line that does not exist stops the build" {
	bad_directive '<!-- include: file steps/01-fork/Makefile lines 1-99999 -->'
	[[ $status -ne 0 ]]
	[[ $output == *"00-opening.md:$line_no: steps/01-fork/Makefile has "*" lines: no line 99999"* ]]
	bad_directive '<!-- include: file steps/01-fork/NoSuchFile -->'
	[[ $status -ne 0 ]]
	[[ $output == *"00-opening.md:$line_no: no file steps/01-fork/NoSuchFile"* ]]
}

@test "an excerpt that cuts at a line no longer in the function stops the build" {
	bad_directive "<!-- include: function 01 main omit 'no such line' 'return' -->"
	[[ $status -ne 0 ]]
	[[ $output == *"00-opening.md:$line_no: main() in steps/01-fork/container.c has no line with \"no such line\""* ]]
}

@test "a run whose exit status differs from the slide's stops the build" {
	bad_directive '<!-- run: 01 exit=0 false -->'
	[[ $status -ne 0 ]]
	[[ $output == *"00-opening.md:$line_no: \$ ./container false exited 1, the slide expects 0"* ]]
}

@test "a hand-written terminal block is refused: terminal output must be real" {
	bad_directive $'```terminal\n$ ./container id\nuid=0(root)\n```'
	[[ $status -ne 0 ]]
	[[ $output == *"a \`\`\`terminal block holds real output"* ]]
}

@test "the output of steps 06 and 07 on the slides matches a real run" {
	needs_build
	[[ $(manifest 'm.static.filter(s => !["02", "03"].includes(s.step)).length') -gt 0 ]]
	requires_cmd slirp4netns
	[[ -r /dev/net/tun && -w /dev/net/tun ]] || skip "step 07 needs /dev/net/tun open to this user (make doctor)"
	setup_cgroups
	make_rootfs
	run node "$SLIDES/test/check-static.mjs" "$SLIDES/dist/manifest.json" --as user --rootfs "$ROOTFS" -- "${IN_SCOPE[@]}"
	echo "$output"
	[[ $status -eq 0 ]]
	[[ $output == *" 0 mismatched"* ]]
}

# ---- in the browser --------------------------------------------------------

@test "the deck opens from disk in Chromium without console errors" {
	needs_browser
	report 'r.browser'
	[[ $(report 'r.errors') == "[]" ]]
}

@test "the deck loads nothing from the network" {
	needs_browser
	[[ $(report 'r.network') == "[]" ]]
}

@test "the browser shows as many slides as the sources have" {
	needs_browser
	# Counted here from the sources, independently of build.mjs: a slide per
	# file, plus one per `---` line outside code fences and front matter.
	local from_source
	from_source=$(awk '
		FNR == 1 { files++; fence = 0; front = ($0 == "---") ; if (front) next }
		front { if ($0 == "---") front = 0; next }
		/^[ \t]*(```|~~~)/ { fence = !fence; next }
		!fence && $0 == "---" { rules++ }
		END { print files + rules }' "$SLIDES"/talk/*.md)
	echo "source: $from_source slides; browser: $(report 'r.slides')"
	[[ $(report 'r.slides') == "$from_source" ]]
	[[ $(manifest 'm.slides') == "$from_source" ]]
}

@test "every slide has speaker notes" {
	needs_browser
	[[ $(report 'r.withoutNotes') == "[]" ]]
}

@test "no slide's content overflows it" {
	needs_browser
	report 'r.overflow.join("\n")'
	[[ $(report 'r.overflow.length') == 0 ]]
}

@test "the title slide renders, not a blank page" {
	needs_browser
	local png
	png=$(report 'r.shots.title.file')
	[[ -s $png ]]
	echo "content: $(report 'r.shots.title.content') of the pixels"
	node -e 'process.exit(Number(process.argv[1]) > 0.01 ? 0 : 1)' "$(report 'r.shots.title.content')"
}

@test "a slide with C code renders its code, not a blank page" {
	needs_browser
	local png
	png=$(report 'r.shots.code.file')
	[[ -s $png ]]
	echo "slide $(report 'r.shots.code.slide'): content $(report 'r.shots.code.content') of the pixels"
	node -e 'process.exit(Number(process.argv[1]) > 0.05 ? 0 : 1)' "$(report 'r.shots.code.content')"
}

@test "make pdf prints the deck through Chromium, one page per slide" {
	needs_browser
	run make -C "$SLIDES" pdf
	echo "$output"
	[[ $status -eq 0 ]]
	[[ $(node "$SLIDES/test/pdf-pages.mjs" "$SLIDES/dist/mvrc.pdf") == "$(manifest 'm.slides')" ]]
}
