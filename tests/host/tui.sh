# shellcheck shell=bash
# The live view (monitor on a terminal) in a real terminal: tmux, from a
# recording made in a guest (tests/host/data/demo.itr) through monitor's
# replay source. Keys are sent, the pane is captured, and what is on screen
# is compared with `check` on the same recording (ground truth the view did
# not draw): the event count, each finding newest first in its severity's
# colour, the devices; then the device filter, a resize, pause and quit.
# Sourced by tests/host/run (uses its P, F and $tmp).
TUI_REC=tests/host/data/demo.itr
TUI_TMUX=(tmux -L "itr-tui-$$" -f /dev/null)

tui_pass() { P=$((P + 1)); printf '  pass  %s\n' "$1"; }
tui_fail() { # NAME WHY: the pane goes with it
	F=$((F + 1)); printf '  FAIL  %s: %s; the pane:\n' "$1" "$2"
	"${TUI_TMUX[@]}" capture-pane -p -t tui 2>/dev/null | sed 's/^/        |/'
}
tui_pane() { "${TUI_TMUX[@]}" capture-pane -p "$@" -t tui; }
# tui_wait REGEX [SECONDS]: until the pane shows it (5 s unless told; a
# loaded machine draws late, so waits that cover a replay's run get more)
tui_wait() {
	local i
	for i in $(seq $((${2:-5} * 10))); do
		tui_pane | grep -qE "$1" && return 0
		sleep 0.1
	done
	return 1
}
# tui_check NAME WHY COMMAND...: pass when COMMAND succeeds
tui_check() {
	local name=$1 why=$2; shift 2
	if "$@"; then tui_pass "$name"; else tui_fail "$name" "$why"; fi
}
tui_start() { # COLS ROWS MONITOR-ARGS...: the view of $TUI_REC in a fresh tmux session
	local cols=$1 rows=$2; shift 2
	"${TUI_TMUX[@]}" kill-server 2>/dev/null
	rm -f "$tmp/tui.rc"
	"${TUI_TMUX[@]}" new-session -d -s tui -x "$cols" -y "$rows" \
		"$ITR monitor --replay $TUI_REC $*; echo \$? >$tmp/tui.rc; sleep 30"
}
# Each row as "FG|text": the foreground colour in force where its text
# starts (tmux sends a colour once, where it changes; 39: the default).
tui_colours() {
	tui_pane -e | awk '{
		line = $0; text = ""
		while (match(line, /\033\[[0-9;]*m/)) {
			if (!started && RSTART > 1) { text = text substr(line, 1, RSTART - 1) }
			n = split(substr(line, RSTART + 2, RLENGTH - 3), c, ";")
			for (i = 1; i <= n; i++) if (c[i] ~ /^3[0-9]$/ && (text == "" || text ~ /^ *$/)) fg = c[i]
			if (RSTART > 1) { started = started || text !~ /^ *$/ }
			line = substr(line, RSTART + RLENGTH)
		}
		print (fg == "" ? 39 : fg) "|" text line; started = 0
	}'
}
tui_events() { tui_pane | sed -n '1s/.* events \([0-9]*\) .*/\1/p'; }

tui_host() {
	local want nev last rows pane
	if ! command -v tmux >/dev/null; then
		tui_fail tui-tmux "tmux is not installed (make deps)"
		return
	fi
	want=$("$ITR" check --json "$TUI_REC" 2>/dev/null)
	nev=$(jq '.summary.events' <<<"$want")
	last=$(jq -r '.findings[-1].rule' <<<"$want")

	# --- 80x24, the whole recording at once -----------------------------------
	tui_start 80 24 --speed 0
	if ! tui_wait '\[END\]'; then
		tui_fail tui-replay-ends "no [END] on the title line"
		"${TUI_TMUX[@]}" kill-server 2>/dev/null
		return
	fi
	pane=$(tui_pane)
	tui_check tui-80x24 "not 24 rows with the key line last" \
		test "$(wc -l <<<"$pane")" -eq 24 -a -n "$(sed -n '24{/q quit.*p pause/p}' <<<"$pane")"
	tui_check tui-events "title must count check's $nev events" \
		grep -q "events $nev  findings $(jq '.findings | length' <<<"$want")" <<<"$pane"
	tui_check tui-newest-first "the first finding row must be check's last finding ($last)" \
		test "$(grep -A1 '^FINDINGS' <<<"$pane" | sed -n '2s/^ *[0-9.]* [A-Z]* *\([a-z-]*\):.*/\1/p')" = "$last"
	tui_check tui-stale-red "stale-hwpt-view must be an ERROR in red" \
		grep -qE '^31\|.*ERROR stale-hwpt-view' <(tui_colours)
	tui_check tui-devices "0000:01:02.0 in group 1 on vfio-pci" \
		grep -qE '^0000:01:02\.0 +1 vfio-pci +d:' <<<"$pane"

	# --- the device filter, then all -------------------------------------------
	"${TUI_TMUX[@]}" send-keys -t tui d
	sleep 0.3
	"${TUI_TMUX[@]}" send-keys -t tui 0000:00:06 Enter
	tui_wait 'filter: dev=0000:00:06'
	pane=$(tui_pane)
	tui_check tui-filter-device "only 0000:00:06.0 and its one finding (reserved-overlap)" \
		test "$(grep -cE '^0000:' <<<"$pane")" -eq 1 -a "$(grep -cE '(ERROR|WARN|INFO) ' <<<"$pane")" -eq 1 \
		-a -n "$(grep -E '^0000:00:06\.0 ' <<<"$pane")" -a -n "$(grep 'WARN  reserved-overlap' <<<"$pane")"
	"${TUI_TMUX[@]}" send-keys -t tui a
	sleep 0.3
	tui_check tui-filter-clear "a must show every device again" \
		test "$(tui_pane | grep -cE '^0000:')" -gt 1

	# the process filter: the group-replace's process, as check saw it
	local pid nf
	pid=$(jq '[.findings[] | select(.rule == "stale-hwpt-view")][0].event.tgid' <<<"$want")
	nf=$(jq --argjson p "$pid" '[.findings[] | select(.event.tgid == $p)] | length' <<<"$want")
	"${TUI_TMUX[@]}" send-keys -t tui c
	sleep 0.3
	"${TUI_TMUX[@]}" send-keys -t tui "$pid" Enter
	tui_wait "filter: proc=$pid"
	"${TUI_TMUX[@]}" resize-window -t tui -x 80 -y 40
	sleep 0.5
	tui_check tui-filter-process "process $pid: its $nf findings, no other" \
		test "$(tui_pane | grep -cE '(ERROR|WARN|INFO) ')" -eq "$nf" -a "$(tui_pane | grep -c reserved-overlap)" -eq 0
	"${TUI_TMUX[@]}" send-keys -t tui a
	sleep 0.3

	# --- a resize ------------------------------------------------------------------
	"${TUI_TMUX[@]}" resize-window -t tui -x 120 -y 40
	sleep 0.5
	pane=$(tui_pane)
	rows=$(wc -l <<<"$pane")
	tui_check tui-resize-grow "120x40: 40 rows, the key line last, the stale-hwpt-view finding whole (wrapped at words)" \
		test "$rows" -eq 40 -a -n "$(sed -n '40{/q quit/p}' <<<"$pane")" \
		-a -n "$(tr '\n' ' ' <<<"$pane" | tr -s ' ' | grep -E 'stale-hwpt-view: [0-9:.]+.s fd still attaches it to HWPT [0-9]+, but group [0-9]+ moved to HWPT [0-9]+ by [0-9:.]+ ')"
	tui_check tui-warning-yellow "reserved-overlap must be a WARN in yellow" \
		grep -qE '^33\|.*WARN  reserved-overlap' <(tui_colours)
	"${TUI_TMUX[@]}" resize-window -t tui -x 80 -y 24
	sleep 0.5
	tui_check tui-resize-back "80x24 again: the key line on row 24, no row past 80 columns" \
		test -n "$(tui_pane | sed -n '24{/q quit/p}')" -a "$(tui_pane | awk '{ if (length($0) > m) m = length($0) } END { print m }')" -le 80

	# --- quit --------------------------------------------------------------------------
	"${TUI_TMUX[@]}" send-keys -t tui q
	sleep 0.5
	tui_check tui-quit "q must end monitor with status 0" test "$(cat "$tmp/tui.rc" 2>/dev/null)" = 0
	tui_check tui-stderr-after "what monitor said while the view had the terminal follows it" \
		grep -q "^findings: $(jq '.summary.error' <<<"$want") error" <(tui_pane)

	# --- pause holds a replay at a quarter of its recorded speed (about 20 s: a
	# loaded machine still presses p long before the end) ----------------------------
	tui_start 80 24 --speed 0.25
	local n1 n2
	# the keys go only once the view is up and counting (a loaded machine
	# starts it late; a key sent before would be lost)
	tui_wait ' events [1-9]' 30
	"${TUI_TMUX[@]}" send-keys -t tui p
	tui_wait '\[PAUSED\]' 30
	n1=$(tui_events)
	sleep 1
	n2=$(tui_events)
	tui_check tui-pause "paused: the events count must hold ($n1, then $n2) below $nev" \
		test -n "$n1" -a "$n1" = "$n2" -a "${n1:-0}" -lt "$nev"
	"${TUI_TMUX[@]}" send-keys -t tui p
	tui_check tui-resume "p again: the replay must go on to its end" tui_wait "events $nev .*\\[END\\]" 90
	"${TUI_TMUX[@]}" send-keys -t tui q
	"${TUI_TMUX[@]}" kill-server 2>/dev/null

	# --- losses: a recording whose ring buffer overflowed, on a red banner -------------
	local lost
	lost=$("$ITR" check --json tests/host/data/lost.itr 2>/dev/null | jq '.summary.lost')
	TUI_REC=tests/host/data/lost.itr tui_start 80 24 --speed 0
	tui_wait '\[END\]'
	tui_check tui-lost-banner "row 2 must say LOST $lost events, white on red" \
		test -n "$lost" -a "$lost" -gt 0 -a -n "$(tui_pane | sed -n "2{/^ LOST $lost events/p}")" \
		-a -n "$(tui_pane -e | sed -n '2{/41m/p}')"
	"${TUI_TMUX[@]}" send-keys -t tui q
	"${TUI_TMUX[@]}" kill-server 2>/dev/null

	# --- lines, not the view -------------------------------------------------------------
	tui_check tui-piped-lines "piped: one text line per finding, no escape codes" \
		test "$("$ITR" monitor --replay "$TUI_REC" --speed 0 2>/dev/null | tee "$tmp/tui.txt" | grep -c '^error   stale-hwpt-view')" -eq 1 \
		-a "$(grep -c $'\e' "$tmp/tui.txt")" -eq 0
}
tui_host
