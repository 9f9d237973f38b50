# shellcheck shell=bash
# What an operator installs: `make install` into a scratch DESTDIR, the man
# pages against each command's --help (every option of the help is on its
# page, a page for each command with options), the bash completion against
# the command table and the rule table, and the Debian package built from
# the tree (tests/host/deb-build), unpacked into a scratch root, running.
# Sourced by tests/host/run (uses expect, P, F, $tmp, $ITR, $BUILD).

inst_pass() { P=$((P + 1)); printf '  pass  %s\n' "$1"; }
inst_fail() { F=$((F + 1)); printf '  FAIL  %s: %s\n' "$1" "$2"; }
inst_check() { # NAME WHY COMMAND...
	local name=$1 why=$2; shift 2
	if "$@"; then inst_pass "$name"; else inst_fail "$name" "$why"; fi
}

# Commands of the table that have options of their own (a page each).
inst_paged() {
	local c
	for c in $("$ITR" help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }'); do
		"$ITR" "$c" --help 2>/dev/null | head -n1 | grep -q "^Usage: iommutrace $c " && echo "$c"
	done
}

# man_covers PAGE CMD: every long option of `iommutrace CMD --help` is on PAGE.
inst_man_covers() {
	local page=$1 cmd=$2 text o missing=""
	text=$(MANWIDTH=200 man -l "$page" 2>/dev/null) || return 1
	for o in $("$ITR" "$cmd" --help | sed -n 's/^ \{1,\}\(-[a-zA-Z?], \)\{0,1\}\(--[a-z][a-z0-9-]*\).*/\2/p'); do
		grep -qF -- "$o" <<<"$text" || missing+=" $o"
	done
	[[ -z $missing ]] || { echo "    $page lacks:$missing"; return 1; }
}

inst_host() {
	local d=$tmp/inst p=/usr/local c n=0 bad=""
	if ! make -s install DESTDIR="$d" PREFIX="$p" OUTPUT="$BUILD" >"$tmp/inst.log" 2>&1; then
		inst_fail install "make install failed: $(tail -n3 "$tmp/inst.log" | tr '\n' ';')"
		return
	fi
	inst_check install-files "binary, completion, README and docs under DESTDIR/PREFIX" \
		test -x "$d$p/bin/iommutrace" -a -f "$d$p/share/bash-completion/completions/iommutrace" \
		-a -f "$d$p/share/doc/iommutrace/README.md" -a -f "$d$p/share/doc/iommutrace/docs/architecture.md" \
		-a -f "$d$p/share/man/man1/iommutrace.1"
	inst_check install-runs "the installed binary must say its version" \
		test "$("$d$p/bin/iommutrace" version)" = "$("$ITR" version)"
	for f in contrib/systemd/*.service; do
		[[ -e $f ]] || continue
		[[ -f $d$p/lib/systemd/system/$(basename "$f") ]] || bad+=" $f"
	done
	inst_check install-systemd "units not installed:${bad:-}" test -z "$bad"
	bad=""
	for c in $(inst_paged); do
		n=$((n + 1))
		[[ -f $d$p/share/man/man1/iommutrace-$c.1 ]] || { bad+=" $c(no page)"; continue; }
		inst_man_covers "$d$p/share/man/man1/iommutrace-$c.1" "$c" || bad+=" $c"
	done
	inst_check man-pages-match-help "$n commands; pages missing or lacking options:${bad:-}" test -z "$bad" -a "$n" -gt 3
	inst_check man-top-lists-commands "iommutrace.1 must name each command of the table" \
		bash -c "t=\$(MANWIDTH=200 man -l '$d$p/share/man/man1/iommutrace.1'); for c in \$('$ITR' help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print \$1 }'); do grep -qw \"\$c\" <<<\"\$t\" || exit 1; done"

	# --- bash completion --------------------------------------------------------------
	cat >"$tmp/comp.sh" <<COMP
source /usr/share/bash-completion/bash_completion 2>/dev/null
source "$d$p/share/bash-completion/completions/iommutrace"
PATH=$(realpath "$BUILD"):\$PATH
comp() {
	COMP_WORDS=("\$@"); COMP_CWORD=\$((\$# - 1)); COMP_LINE="\$*"; COMP_POINT=\${#COMP_LINE}
	COMPREPLY=(); _iommutrace iommutrace "\${COMP_WORDS[-1]}" "\${COMP_WORDS[-2]}"
	printf '%s\n' "\${COMPREPLY[@]}" | sort | tr '\n' ' '; echo
}
COMP
	inst_check completion-commands "'iommutrace <TAB>' must offer the command table" \
		test "$(bash -c "source $tmp/comp.sh; comp iommutrace ''" | tr ' ' '\n' | grep -v '^-' | grep . | sort | tr '\n' ' ')" = \
		"$("$ITR" help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }' | sort | tr '\n' ' ')"
	inst_check completion-options "'monitor --re<TAB>' must offer --replay=" \
		test "$(bash -c "source $tmp/comp.sh; comp iommutrace monitor --re")" = "--replay= "
	inst_check completion-values "'check --fail-on <TAB>': the severities" \
		test "$(bash -c "source $tmp/comp.sh; comp iommutrace check --fail-on ''")" = "error info warning "
	inst_check completion-rules "rule ids must be check --list-rules' ids" \
		test "$(bash -c "source $tmp/comp.sh; _iommutrace_rules iommutrace | sort | tr '\n' ' '")" = \
		"$("$ITR" check --list-rules --json | jq -r '.[].id' | sort | tr '\n' ' ')"

	# --- the Debian package, into a scratch root ----------------------------------------------
	if ! command -v dpkg-buildpackage >/dev/null; then
		inst_fail deb-build "dpkg-buildpackage is missing (make deps)"
		return
	fi
	if ! tests/host/deb-build "$tmp/deb" >"$tmp/deb.out" 2>&1; then
		inst_fail deb-build "$(tail -n 5 "$tmp/deb.out" | tr '\n' ';')"
		return
	fi
	local deb
	deb=$(ls "$tmp"/deb/iommutrace_*_amd64.deb)
	inst_pass deb-build
	dpkg -x "$deb" "$tmp/root"
	inst_check deb-runs "iommutrace version from the package's root" \
		test "$("$tmp/root/usr/bin/iommutrace" version)" = "$("$ITR" version)"
	inst_check deb-version "the package's version must be the binary's" \
		test "$(dpkg-deb -f "$deb" Version)" = "$("$ITR" version | awk '{ print $2 }')"
	inst_check deb-contents "man pages (gzipped), completion, docs in the package" \
		test -f "$tmp/root/usr/share/man/man1/iommutrace-monitor.1.gz" \
		-a -f "$tmp/root/usr/share/bash-completion/completions/iommutrace" \
		-a -f "$tmp/root/usr/share/doc/iommutrace/copyright"
}
inst_host
