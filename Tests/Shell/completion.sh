#!/usr/bin/env bash
# Tab completion in a real bash with bash-completion loaded, as an interactive shell
# runs it: the script tsctl generates is sourced and its function driven through
# COMP_WORDS/COMP_CWORD/COMP_LINE, so tsctl's own `---completion` requests answer
# from this machine (a private network namespace with a veth pair, made here).
# Needs root (ip netns add; --netns completion enters the namespace).
set -euo pipefail
. "$(dirname "$0")/lib/shell_test.sh"
shell_test completion "ip netns add" bash-completion iproute2

work=$(mktemp -d "${TMPDIR:-/tmp}/tsctl-completion.XXXXXX")
ns=tsctl-completion-$$
cleanup() { ip netns del "$ns" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link add tcveth0 type veth peer name tcveth1
mkdir -p "$work/bin" "$work/files"
ln -s "$bin" "$work/bin/tsctl"
touch "$work/files/board.toml" "$work/files/baseline.json"

# complete 'LINE': what Tab offers at the end of LINE, one per line, sorted.
cat >"$work/drive.bash" <<'DRIVE'
. /usr/share/bash-completion/bash_completion
. <(tsctl --generate-completion-script bash)
complete() {
    COMP_LINE=$1 COMP_POINT=${#1}
    read -ra COMP_WORDS <<<"$1"
    [[ $1 == *' ' ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _tsctl tsctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf '%s\n' "${COMPREPLY[@]}" | sort
}
DRIVE
offers() { (cd "$work/files" && PATH="$work/bin:$PATH" bash --norc --noprofile -c ". '$work/drive.bash'; complete '$1'"); }
expect() { # LINE WANT...: Tab after LINE offers exactly WANT
    local line=$1 got want
    shift
    got=$(offers "$line") || fail "completing '$line' failed"
    want=$(printf '%s\n' "$@" | sort)
    # shellcheck disable=SC2086,SC2116 # echo joins the words on one line
    [ "$got" = "$want" ] || fail "'$line<TAB>' offers [$(echo $got)], want [$(echo $want)]"
}
contains() { # LINE WORD: Tab after LINE offers WORD among others
    offers "$1" | grep -qxF -- "$2" || fail "'$1<TAB>' does not offer $2 (offers: $(offers "$1" | tr '\n' ' '))"
}

expect "tsctl sh" show
expect "tsctl show --netns $ns tcv" tcveth0 tcveth1
expect "tsctl check --netns $ns tcveth" tcveth0 tcveth1
expect "tsctl set --netns $ns tcveth1" tcveth1
contains "tsctl show --netns " "$ns"
expect "tsctl set --netns $ns tcveth0 --tx " off on onestep-sync onestep-p2p
expect "tsctl set tcveth0 --netns $ns --rx ptpv2-l2-" ptpv2-l2-event ptpv2-l2-sync ptpv2-l2-delay-req
expect "tsctl set tcveth0 --flags " bonded-phc-index
expect "tsctl set --netns $ns tcveth0 --source " mac phy
expect "tsctl set tcveth0 --qualifier " precise approx
expect "tsctl check --expect bo" board.toml
expect "tsctl check --baseline base" baseline.json
expect "tsctl apply bo" board.toml
contains "tsctl probe " lo
echo "PASS completion: subcommands, interfaces (of --netns), namespaces, tx/rx/flag names, providers and files complete in bash"
