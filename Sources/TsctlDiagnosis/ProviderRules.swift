import TsctlModel

extension Rules {
    // advertised-not-active: the advertised provider, the active one, the ioctl ptp4l reads and a probe.
    mutating func advertisedVersusActive(_ itf: InterfaceSnapshot) {
        let adv = itf.advertised
        if itf.active.isConfigured, let aPHC = itf.active.phcIndex, let adv,
            aPHC != adv.phcIndex
                || (adv.qualifier != nil && itf.active.qualifier != adv.qualifier)
        {
            add(
                .advertisedNotActive, .error, itf.name,
                "the kernel advertises \(describe(adv.phcIndex, adv.layer, adv.phyIndex, itf)) but \(describe(aPHC, itf.active.layer, itf.active.phyIndex, itf)) is active: ptp4l disciplines one clock while the other stamps packets",
                [
                    EvidenceItem(.advertised, "TSINFO: PHC \(adv.phcIndex.map(String.init) ?? "none")"),
                    EvidenceItem(.active, "TSCONFIG: PHC \(aPHC) \(itf.active.qualifier?.name ?? "")")
                ],
                remedy: setCommand(itf, to: itf.providers.first { $0.phcIndex == aPHC }))
        }
        switch input.ioctl[itf.key] {
        case .success(let v)?:
            if let adv, v.phcIndex != adv.phcIndex {
                add(
                    .advertisedNotActive, .error, itf.name,
                    "ETHTOOL_GET_TS_INFO (what ptp4l reads) names \(v.phcIndex.map { "ptp\($0)" } ?? "no PHC") but ethtool netlink advertises \(adv.phcIndex.map { "ptp\($0)" } ?? "no PHC")",
                    [
                        EvidenceItem(.advertised, "ioctl: PHC \(v.phcIndex.map(String.init) ?? "none")"),
                        EvidenceItem(.advertised, "TSINFO: PHC \(adv.phcIndex.map(String.init) ?? "none")")
                    ])
            }
        case .failure(let f)?:
            notRun.append(NotRun(.advertisedNotActive, itf.name, "ETHTOOL_GET_TS_INFO failed: \(f.message)"))
        case nil: break
        }
        if let o = input.observations[itf.key] {
            if let seen = o.phcIndex {
                let said = [(View.advertised, adv?.phcIndex), (View.active, itf.active.phcIndex)]
                for (view, phc) in said where phc != nil && phc != seen {
                    add(
                        .advertisedNotActive, .error, itf.name,
                        "a transmitted frame was stamped by \(describe(seen, o.layer, o.phyIndex, itf)) but the \(view.rawValue) provider is ptp\(phc!): ptp4l disciplines a clock that does not stamp packets",
                        [EvidenceItem(.observed, o.verdict), EvidenceItem(view, "PHC \(phc!)")],
                        remedy: setCommand(itf, to: itf.providers.first { $0.phcIndex == phc }))
                }
            } else {
                notRun.append(NotRun(.advertisedNotActive, itf.name, "probe: \(o.verdict)"))
            }
        }
        if !itf.active.isConfigured && kernel.features.tsconfig {
            notRun.append(
                NotRun(
                    .advertisedNotActive, itf.name,
                    "the active provider cannot be read (\(itf.active.unavailable!.rawValue)); only the ioctl was compared"))
        }
    }

    // reporting-configuration-split (before 6.11): the kernel reports the PHY while a MAC with its own clock may keep SIOCSHWTSTAMP.
    mutating func reportingSplit(_ itf: InterfaceSnapshot) {
        guard before611, itf.advertised?.layer == .phy,
            let mac = itf.providers.first(where: { $0.layer == .mac }),
            let phy = itf.providers.first(where: { $0.layer == .phy })
        else { return }
        // A probe proves which layer stamps: a mismatch is reported as advertised-not-active.
        if input.observations[itf.key]?.conclusive == true { return }
        let users = daemons(using: itf)
        // The MAC driver answered SIOCGHWTSTAMP (no PHY can before 6.19): it keeps
        // the configuration ioctls, as set and apply judge it (Planner).
        let act = itf.active
        let kept = LayerAttribution.ioctlAnswerer(of: itf, release: kernel.release) == mac
        let statement =
            kept
            ? "on this kernel \(itf.displayName) reports the PHY clock ptp\(phy.phcIndex) while the MAC driver \(itf.driver ?? "?") keeps SIOCSHWTSTAMP "
                + "(it answered SIOCGHWTSTAMP, which no PHY driver can before Linux 6.19): the MAC clock ptp\(mac.phcIndex) stamps packets while ptp4l steers the PHY clock"
            : "on this kernel \(itf.displayName) reports the PHY clock ptp\(phy.phcIndex) while SIOCSHWTSTAMP reaches the MAC driver \(itf.driver ?? "?") first, which has its own clock ptp\(mac.phcIndex): "
                + "if the driver keeps the request, the MAC stamps packets while ptp4l steers the PHY clock; the kernel cannot say which one is active"
        var evidence = [
            EvidenceItem(.kernel, "release \(kernel.release): PHY-first reporting, MAC-first configuration"),
            EvidenceItem(.advertised, "TSINFO/ETHTOOL_GET_TS_INFO: phy ptp\(phy.phcIndex) \(clockName(phy.phcIndex, itf))"),
            EvidenceItem(.sysfs, "MAC clock ptp\(mac.phcIndex) \(clockName(mac.phcIndex, itf)) owned by \(itf.device ?? "the MAC")")
        ]
        if kept {
            evidence.append(
                EvidenceItem(.active, "SIOCGHWTSTAMP answered by the MAC driver: tx \(act.txType ?? "?"), rx \(act.rxFilter ?? "?")"))
        }
        add(
            .reportingConfigurationSplit, users.isEmpty ? .warning : .error, itf.name, statement,
            evidence + users.map { EvidenceItem(.observed, "\($0.label) uses \(itf.displayName)") },
            remedy: nil)
    }

    // precision-downgrade: an approximate provider, or the layer the policy does not prefer.
    mutating func precision(_ itf: InterfaceSnapshot) {
        guard let current = activeOrAdvertised(itf) else { return }
        let view: View = itf.active.isConfigured && itf.active.phcIndex != nil ? .active : .advertised
        if current.qualifier == .approx,
            let precise = itf.providers.first(where: { $0.layer == current.layer && $0.qualifier == .precise })
        {
            add(
                .precisionDowngrade, .warning, itf.name,
                "the approximate \(current.layer.rawValue) provider ptp\(current.phcIndex) is in use while a precise one exists (ptp\(precise.phcIndex))",
                [
                    EvidenceItem(view, "\(current.label) ptp\(current.phcIndex)"),
                    EvidenceItem(.sysfs, "precise \(precise.label) ptp\(precise.phcIndex) available")
                ],
                remedy: setCommand(itf, to: precise))
        }
        let pair = KnownPairs.match(itf)
        let preferred = input.prefer ?? pair?.prefer
        guard let preferred, current.layer != preferred,
            let better = itf.providers.first(where: { $0.layer == preferred && $0.qualifier == .precise })
        else { return }
        // The statement stays one readable sentence; a known pair's reason and its
        // source are evidence lines of their own.
        let who = input.prefer != nil ? "your policy (--prefer \(preferred.rawValue))" : "tsctl's table of known MAC/PHY pairs"
        var evidence = [EvidenceItem(view, "\(current.label) ptp\(current.phcIndex) \(clockName(current.phcIndex, itf))")]
        if input.prefer != nil {
            evidence.append(EvidenceItem(.expected, "--prefer \(preferred.rawValue)"))
        } else if let pair {
            evidence.append(EvidenceItem(.expected, "known pair: \(pair.name), prefer the \(pair.prefer.rawValue)"))
            evidence.append(EvidenceItem(.expected, "why: \(pair.why)"))
            evidence.append(EvidenceItem(.expected, "source: \(pair.source)"))
        }
        add(
            .precisionDowngrade, .warning, itf.name,
            "\(current.layer.rawValue) clock ptp\(current.phcIndex) is in use but \(who) prefers the \(preferred.rawValue) clock ptp\(better.phcIndex)",
            evidence, remedy: setCommand(itf, to: better))
    }
}
