#compdef tsctl

__tsctl_complete() {
    local -ar non_empty_completions=("${@:#(|:*)}")
    local -ar empty_completions=("${(M)@:#(|:*)}")
    _describe -V '' non_empty_completions -- empty_completions -P $'\'\''
}

__tsctl_custom_complete() {
    local -a completions
    completions=("${(@f)"$("${command_name}" "${@}" "${command_line[@]}")"}")
    if [[ "${#completions[@]}" -gt 1 ]]; then
        __tsctl_complete "${completions[@]:0:-1}"
    fi
}

__tsctl_cursor_index_in_current_word() {
    if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
        printf 0
    else
        printf %s "${#${(z)LBUFFER}[-1]}"
    fi
}

_tsctl() {
    emulate -RL zsh -G
    setopt extendedglob nullglob numericglobsort
    unsetopt aliases banghist

    local -xr SAP_SHELL=zsh
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(builtin emulate zsh -c 'printf %s "${ZSH_VERSION}"')"
    local -r SAP_SHELL_VERSION

    local context state state_descr line
    local -A opt_args

    local -r command_name="${words[1]}"
    local -ar command_line=("${words[@]}")
    local -ir current_word_index="$((CURRENT - 1))"

    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'show:Show each interface'\''s timestamp providers by layer, the advertised one and the active one.'
            'set:Choose an interface'\''s timestamping provider (MAC or PHY) and its tx type and rx filter.'
            'apply:Bring many interfaces to the state a desired-state file describes, all or nothing.'
            'check:Flag every mismatch between the advertised, active, expected and observed timestamping.'
            'probe:Prove which clock stamps packets: send one PTP frame and match its hardware timestamp to a provider'\''s PHC.'
            'watch:Print a line whenever an interface'\''s providers, advertised or active provider and configuration, PHYs or link state change.'
            'help:Show subcommand help information.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        show|set|apply|check|probe|watch|help)
            "_tsctl_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_tsctl_show() {
    local -i ret=1
    local -ar arg_specs=(
        '*:interfaces:{__tsctl_custom_complete ---completion show -- positional@0 "${current_word_index}" "$(__tsctl_cursor_index_in_current_word)"}'
        '--all[Show every interface, including those with software timestamping only.]'
        '--json[Print one JSON document (schema_version 1; Schemas/show.schema.json).]'
        '--clocks[Also read each PTP clock (/dev/ptpN, usually root only)\: offset to CLOCK_REALTIME and to the interface'\''s other clocks, frequency adjustment, whether it advances.]'
        '--netns[Work in this network namespace (a name from `ip netns list`, or a path).]:name:{__tsctl_custom_complete ---completion show -- --netns "${current_word_index}" "$(__tsctl_cursor_index_in_current_word)"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_tsctl_set() {
    local -i ret=1
    local -ar ___qualifier=('precise' 'approx')
    local -ar ___flags=('bonded-phc-index')
    local -ar arg_specs=(
        ':interface:{__tsctl_custom_complete ---completion set -- positional@0 "${current_word_index}" "$(__tsctl_cursor_index_in_current_word)"}'
        '--source[The provider\: mac, phy, phy\:N (PHY index N) or phc\:N (PHC index N).]:source:{__tsctl_custom_complete ---completion set -- --source "${current_word_index}" "$(__tsctl_cursor_index_in_current_word)"}'
        '--qualifier[The provider'\''s qualifier.]:qualifier:{__tsctl_complete "${___qualifier[@]}"}'
        '--tx[Transmit timestamping.]:tx:{__tsctl_custom_complete ---completion set -- --tx "${current_word_index}" "$(__tsctl_cursor_index_in_current_word)"}'
        '--rx[Receive filter.]:rx:{__tsctl_custom_complete ---completion set -- --rx "${current_word_index}" "$(__tsctl_cursor_index_in_current_word)"}'
        '--flags[hwtstamp flags (replaces the current ones).]:flags:{__tsctl_complete "${___flags[@]}"}'
        '--no-flags[Clear the hwtstamp flags.]'
        '--dry-run[Print the exact change and touch nothing.]'
        '--force[Change even though a PTP daemon (ptp4l, phc2sys, ts2phc, chronyd) uses the interface or its clocks.]'
        '--json[Print one JSON document\: per interface the plan, the request sent, the state before and after, verified, rolled back (Schemas/change.schema.json).]'
        '--netns[Work in this network namespace (a name from `ip netns list`, or a path).]:name:{__tsctl_custom_complete ---completion set -- --netns "${current_word_index}" "$(__tsctl_cursor_index_in_current_word)"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_tsctl_apply() {
    local -i ret=1
    local -ar arg_specs=(
        ':file:_files'
        '--wait[Wait up to this many seconds for the interfaces and providers to appear (a PHY'\''s clock appears when the PHY attaches).]:seconds:'
        '--keep[Keep it applied\: re-apply when an interface comes back up or drifts (the kernel forgets a PHY selection when the PHY detaches). Beside a PTP daemon only the provider is kept; tx/rx are the daemon'\''s (unless --force). Runs until stopped.]'
        '--interval[With --keep\: also re-check every so many seconds.]:seconds:'
        '--dry-run[Print the exact change and touch nothing.]'
        '--force[Change even though a PTP daemon (ptp4l, phc2sys, ts2phc, chronyd) uses the interface or its clocks.]'
        '--json[Print one JSON document\: per interface the plan, the request sent, the state before and after, verified, rolled back (Schemas/change.schema.json).]'
        '--netns[Work in this network namespace (a name from `ip netns list`, or a path).]:name:{__tsctl_custom_complete ---completion apply -- --netns "${current_word_index}" "$(__tsctl_cursor_index_in_current_word)"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_tsctl_check() {
    local -i ret=1
    local -ar ___prefer=('mac' 'phy')
    local -ar ___for=('ptp' 'ntp')
    local -ar ___format=('text' 'json' 'junit' 'tap' 'prometheus')
    local -ar arg_specs=(
        '*:interfaces:{__tsctl_custom_complete ---completion check -- positional@0 "${current_word_index}" "$(__tsctl_cursor_index_in_current_word)"}'
        '--expect[A desired-state file (the one `tsctl apply` takes) to verify.]:file:_files'
        '--baseline[A saved `tsctl show --json` to compare against (drift).]:file:_files'
        '--prefer[Your layer policy\: warn when the other layer is active while this one is available.]:prefer:{__tsctl_complete "${___prefer[@]}"}'
        '*--for[What the interfaces'\'' timestamping is for (repeatable)\: ptp (ptp4l\: tx on, a PTP rx filter) or ntp (chrony\: rx all); check whether the active provider can do it and which provider can.]:use:{__tsctl_complete "${___for[@]}"}'
        '--format[Output format.]:format:{__tsctl_complete "${___format[@]}"}'
        '--json[Same as --format json.]'
        '--output[Write the report to this file instead of standard output (a regular file is replaced atomically); exit 0 once written whatever the findings.]:file:_files'
        '--strict[Warnings and checks that could not run also fail (exit 1).]'
        '--probe[Also send one PTP frame per interface with a hardware clock and check which clock stamped it (needs root; see `tsctl probe`).]'
        '--sample[Read the timestamping counters twice, this many seconds apart, and report lost transmit timestamps in between.]:seconds:'
        '--netns[Work in this network namespace (a name from `ip netns list`, or a path).]:name:{__tsctl_custom_complete ---completion check -- --netns "${current_word_index}" "$(__tsctl_cursor_index_in_current_word)"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_tsctl_probe() {
    local -i ret=1
    local -ar arg_specs=(
        '*:interfaces:{__tsctl_custom_complete ---completion probe -- positional@0 "${current_word_index}" "$(__tsctl_cursor_index_in_current_word)"}'
        '--json[Print JSON.]'
        '--netns[Work in this network namespace (a name from `ip netns list`, or a path).]:name:{__tsctl_custom_complete ---completion probe -- --netns "${current_word_index}" "$(__tsctl_cursor_index_in_current_word)"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_tsctl_watch() {
    local -i ret=1
    local -ar arg_specs=(
        '*:interfaces:{__tsctl_custom_complete ---completion watch -- positional@0 "${current_word_index}" "$(__tsctl_cursor_index_in_current_word)"}'
        '--interval[Seconds between re-reads when no link event comes.]:seconds:'
        '--json[One JSON object per line.]'
        '--netns[Work in this network namespace (a name from `ip netns list`, or a path).]:name:{__tsctl_custom_complete ---completion watch -- --netns "${current_word_index}" "$(__tsctl_cursor_index_in_current_word)"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_tsctl_help() {
    local -i ret=1
    local -ar arg_specs=(
        '*:subcommands:'
        '--version[Show the version.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

if [[ "${funcstack[1]}" = _tsctl ]]; then
    _tsctl "${@}"
else
    compdef _tsctl tsctl
fi
