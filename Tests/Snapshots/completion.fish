function __tsctl_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __tsctl_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __tsctl_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __tsctl_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __tsctl_parse_tokens -S
    set -l unparsed_tokens (__tsctl_tokens -pc)
    switch $unparsed_tokens[1]
    case 'tsctl'
        __tsctl_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'show'
            __tsctl_parse_subcommand -r 1 'all' 'json' 'clocks' 'netns=' 'version' 'h/help'
        case 'set'
            __tsctl_parse_subcommand 1 'source=' 'qualifier=' 'tx=' 'rx=' 'flags=+' 'no-flags' 'dry-run' 'force' 'json' 'netns=' 'version' 'h/help'
        case 'apply'
            __tsctl_parse_subcommand 1 'wait=' 'keep' 'interval=' 'dry-run' 'force' 'json' 'netns=' 'version' 'h/help'
        case 'check'
            __tsctl_parse_subcommand -r 1 'expect=' 'baseline=' 'prefer=' 'for=+' 'format=' 'json' 'output=' 'strict' 'probe' 'sample=' 'netns=' 'version' 'h/help'
        case 'probe'
            __tsctl_parse_subcommand -r 1 'json' 'netns=' 'version' 'h/help'
        case 'watch'
            __tsctl_parse_subcommand -r 1 'interval=' 'json' 'netns=' 'version' 'h/help'
        case 'help'
            __tsctl_parse_subcommand -r 1 'version'
        end
    end
end

function __tsctl_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __tsctl_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __tsctl_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __tsctl_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__tsctl_tokens -p)
    if test -z "$(__tsctl_tokens -t)"
        set -l index (count (__tsctl_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'tsctl' -f
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl" version' -l 'version' -d 'Show the version.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_positional "tsctl" -eq 1' -fa 'show' -d 'Show each interface\'s timestamp providers by layer, the advertised one and the active one.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_positional "tsctl" -eq 1' -fa 'set' -d 'Choose an interface\'s timestamping provider (MAC or PHY) and its tx type and rx filter.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_positional "tsctl" -eq 1' -fa 'apply' -d 'Bring many interfaces to the state a desired-state file describes, all or nothing.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_positional "tsctl" -eq 1' -fa 'check' -d 'Flag every mismatch between the advertised, active, expected and observed timestamping.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_positional "tsctl" -eq 1' -fa 'probe' -d 'Prove which clock stamps packets: send one PTP frame and match its hardware timestamp to a provider\'s PHC.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_positional "tsctl" -eq 1' -fa 'watch' -d 'Print a line whenever an interface\'s providers, advertised or active provider and configuration, PHYs or link state change.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_positional "tsctl" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_positional "tsctl show" -ge 1' -fka '(__tsctl_custom_completion ---completion show -- positional@0 (count (__tsctl_tokens -pc)) (__tsctl_tokens -tC))'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl show" all' -l 'all' -d 'Show every interface, including those with software timestamping only.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl show" json' -l 'json' -d 'Print one JSON document (schema_version 1; Schemas/show.schema.json).'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl show" clocks' -l 'clocks' -d 'Also read each PTP clock (/dev/ptpN, usually root only): offset to CLOCK_REALTIME and to the interface\'s other clocks, frequency adjustment, whether it advances.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl show" netns' -l 'netns' -d 'Work in this network namespace (a name from `ip netns list`, or a path).' -rfka '(__tsctl_custom_completion ---completion show -- --netns (count (__tsctl_tokens -pc)) (__tsctl_tokens -tC))'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl show" version' -l 'version' -d 'Show the version.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_positional "tsctl set" -eq 1' -fka '(__tsctl_custom_completion ---completion set -- positional@0 (count (__tsctl_tokens -pc)) (__tsctl_tokens -tC))'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl set" source' -l 'source' -d 'The provider: mac, phy, phy:N (PHY index N) or phc:N (PHC index N).' -rfka '(__tsctl_custom_completion ---completion set -- --source (count (__tsctl_tokens -pc)) (__tsctl_tokens -tC))'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl set" qualifier' -l 'qualifier' -d 'The provider\'s qualifier.' -rfka 'precise approx'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl set" tx' -l 'tx' -d 'Transmit timestamping.' -rfka '(__tsctl_custom_completion ---completion set -- --tx (count (__tsctl_tokens -pc)) (__tsctl_tokens -tC))'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl set" rx' -l 'rx' -d 'Receive filter.' -rfka '(__tsctl_custom_completion ---completion set -- --rx (count (__tsctl_tokens -pc)) (__tsctl_tokens -tC))'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl set"' -l 'flags' -d 'hwtstamp flags (replaces the current ones).' -rfka 'bonded-phc-index'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl set" no-flags' -l 'no-flags' -d 'Clear the hwtstamp flags.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl set" dry-run' -l 'dry-run' -d 'Print the exact change and touch nothing.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl set" force' -l 'force' -d 'Change even though a PTP daemon (ptp4l, phc2sys, ts2phc, chronyd) uses the interface or its clocks.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl set" json' -l 'json' -d 'Print one JSON document: per interface the plan, the request sent, the state before and after, verified, rolled back (Schemas/change.schema.json).'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl set" netns' -l 'netns' -d 'Work in this network namespace (a name from `ip netns list`, or a path).' -rfka '(__tsctl_custom_completion ---completion set -- --netns (count (__tsctl_tokens -pc)) (__tsctl_tokens -tC))'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl set" version' -l 'version' -d 'Show the version.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl set" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_positional "tsctl apply" -eq 1' -F
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl apply" wait' -l 'wait' -d 'Wait up to this many seconds for the interfaces and providers to appear (a PHY\'s clock appears when the PHY attaches).' -rfka ''
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl apply" keep' -l 'keep' -d 'Keep it applied: re-apply when an interface comes back up or drifts (the kernel forgets a PHY selection when the PHY detaches). Beside a PTP daemon only the provider is kept; tx/rx are the daemon\'s (unless --force). Runs until stopped.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl apply" interval' -l 'interval' -d 'With --keep: also re-check every so many seconds.' -rfka ''
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl apply" dry-run' -l 'dry-run' -d 'Print the exact change and touch nothing.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl apply" force' -l 'force' -d 'Change even though a PTP daemon (ptp4l, phc2sys, ts2phc, chronyd) uses the interface or its clocks.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl apply" json' -l 'json' -d 'Print one JSON document: per interface the plan, the request sent, the state before and after, verified, rolled back (Schemas/change.schema.json).'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl apply" netns' -l 'netns' -d 'Work in this network namespace (a name from `ip netns list`, or a path).' -rfka '(__tsctl_custom_completion ---completion apply -- --netns (count (__tsctl_tokens -pc)) (__tsctl_tokens -tC))'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl apply" version' -l 'version' -d 'Show the version.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl apply" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_positional "tsctl check" -ge 1' -fka '(__tsctl_custom_completion ---completion check -- positional@0 (count (__tsctl_tokens -pc)) (__tsctl_tokens -tC))'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl check" expect' -l 'expect' -d 'A desired-state file (the one `tsctl apply` takes) to verify.' -rF
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl check" baseline' -l 'baseline' -d 'A saved `tsctl show --json` to compare against (drift).' -rF
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl check" prefer' -l 'prefer' -d 'Your layer policy: warn when the other layer is active while this one is available.' -rfka 'mac phy'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl check"' -l 'for' -d 'What the interfaces\' timestamping is for (repeatable): ptp (ptp4l: tx on, a PTP rx filter) or ntp (chrony: rx all); check whether the active provider can do it and which provider can.' -rfka 'ptp ntp'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl check" format' -l 'format' -d 'Output format.' -rfka 'text json junit tap prometheus'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl check" json' -l 'json' -d 'Same as --format json.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl check" output' -l 'output' -d 'Write the report to this file instead of standard output (a regular file is replaced atomically); exit 0 once written whatever the findings.' -rF
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl check" strict' -l 'strict' -d 'Warnings and checks that could not run also fail (exit 1).'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl check" probe' -l 'probe' -d 'Also send one PTP frame per interface with a hardware clock and check which clock stamped it (needs root; see `tsctl probe`).'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl check" sample' -l 'sample' -d 'Read the timestamping counters twice, this many seconds apart, and report lost transmit timestamps in between.' -rfka ''
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl check" netns' -l 'netns' -d 'Work in this network namespace (a name from `ip netns list`, or a path).' -rfka '(__tsctl_custom_completion ---completion check -- --netns (count (__tsctl_tokens -pc)) (__tsctl_tokens -tC))'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl check" version' -l 'version' -d 'Show the version.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl check" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_positional "tsctl probe" -ge 1' -fka '(__tsctl_custom_completion ---completion probe -- positional@0 (count (__tsctl_tokens -pc)) (__tsctl_tokens -tC))'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl probe" json' -l 'json' -d 'Print JSON.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl probe" netns' -l 'netns' -d 'Work in this network namespace (a name from `ip netns list`, or a path).' -rfka '(__tsctl_custom_completion ---completion probe -- --netns (count (__tsctl_tokens -pc)) (__tsctl_tokens -tC))'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl probe" version' -l 'version' -d 'Show the version.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl probe" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_positional "tsctl watch" -ge 1' -fka '(__tsctl_custom_completion ---completion watch -- positional@0 (count (__tsctl_tokens -pc)) (__tsctl_tokens -tC))'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl watch" interval' -l 'interval' -d 'Seconds between re-reads when no link event comes.' -rfka ''
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl watch" json' -l 'json' -d 'One JSON object per line.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl watch" netns' -l 'netns' -d 'Work in this network namespace (a name from `ip netns list`, or a path).' -rfka '(__tsctl_custom_completion ---completion watch -- --netns (count (__tsctl_tokens -pc)) (__tsctl_tokens -tC))'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl watch" version' -l 'version' -d 'Show the version.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl watch" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'tsctl' -n '__tsctl_should_offer_completions_for_flags_or_options "tsctl help" version' -l 'version' -d 'Show the version.'
