# shellcheck shell=bash
# Sourced by tests/host/run: a careless user's commands (issue 14). An
# output never destroys an input; out-of-range values, failed writes to
# stdout and misuse are one line and a non-zero exit.
REC=tests/fuzz/corpus/replay/type1-7.3.itr
cp "$REC" "$tmp/r.itr" && ln "$tmp/r.itr" "$tmp/hard.itr" && ln -s r.itr "$tmp/sym.itr"
sum=$(cksum <"$REC")
expect output-is-input 1 "output '$tmp/r.itr' is the input" "$ITR" report "$tmp/r.itr" -o "$tmp/r.itr"
expect output-is-hard-link 1 "is the input '$tmp/r.itr'" "$ITR" report "$tmp/r.itr" -o "$tmp/hard.itr"
expect output-is-symlinked-input 1 "is the input '$tmp/sym.itr'" "$ITR" report "$tmp/sym.itr" -o "$tmp/r.itr"
expect input-intact 0 '' test "$(cksum <"$tmp/r.itr")" = "$sum"
# A failed report leaves the old file as it was, and no temporary file.
echo old >"$tmp/old.txt"
expect output-failure-keeps-file 1 'cannot read recording' "$ITR" report "$tmp/none.itr" -o "$tmp/old.txt"
expect output-kept 0 '^old$' cat "$tmp/old.txt"
expect output-written 0 '' "$ITR" report "$REC" -o "$tmp/old.txt"
expect output-replaced 0 '^DOMAINS' cat "$tmp/old.txt"
expect output-no-temporary 0 '^0$' sh -c "ls -A '$tmp' | grep -c '^\\.old\\.txt\\.' || :"
# The device's name, not the input's, in a write failure.
expect report-full 1 "^iommutrace: failed to write /dev/full: No space left on device$" \
	"$ITR" report "$REC" -f chrome-trace -o /dev/full
for d in 99999999999 inf 2e10 nan -inf 0; do
	expect "duration-$d" 2 "^iommutrace trace: invalid --duration '$d': want seconds > 0" \
		"$ITR" trace -d "$d"
done
# Writes to a full stdout: a message and a failing exit.
full() { # NAME WANT COMMAND...
	local name=$1 want=$2; shift 2
	expect "$name" "$want" '^iommutrace: failed to write stdout: No space left on device$' \
		sh -c '"$@" >/dev/full' sh "$@"
}
full full-version 1 "$ITR" version
full full-help 1 "$ITR" help
full full-check-json 2 "$ITR" check --json "$REC"
full full-list-rules 2 "$ITR" check --list-rules
if [[ $(id -u) -eq 0 ]]; then
	full full-probe-json 1 "$ITR" probe --json
	full full-stat-json 1 "$ITR" stat -d 0.2 --json
fi
# Misuse: refused, one line.
one_line() { # NAME WANT-REGEX COMMAND...
	local name=$1 re=$2; shift 2
	expect "$name" 2 "$re" "$@"
	expect "$name-one-line" 0 '^1$' sh -c '"$@" 2>&1 | wc -l' sh "$@"
}
one_line version-bogus "^iommutrace version: unrecognized option '--bogus'$" "$ITR" version --bogus
one_line help-extra "^iommutrace help: unexpected argument 'extra'$" "$ITR" help extra
one_line usage-unknown-option "unrecognized option '--bogus'" "$ITR" stat --bogus
one_line usage-missing-file "missing FILE" "$ITR" report
one_line usage-missing-value "requires an argument" "$ITR" trace -d
# libbpf's own error codes by name, said once.
expect probe-btf-not-btf 1 "^iommutrace: cannot read kernel BTF from /etc/passwd: BPF object format invalid$" \
	"$ITR" probe --btf /etc/passwd
expect probe-btf-said-once 0 '^1$' sh -c "$ITR probe --btf /etc/passwd 2>&1 | wc -l"
# record's input (--btf) as its output: refused before anything is loaded.
cp "$REC" "$tmp/btf.itr"
expect record-output-is-btf 1 "is the input '$tmp/btf.itr'" "$ITR" record -o "$tmp/btf.itr" --btf "$tmp/btf.itr" -d 0.1
expect record-btf-intact 0 '' test "$(cksum <"$tmp/btf.itr")" = "$sum"
