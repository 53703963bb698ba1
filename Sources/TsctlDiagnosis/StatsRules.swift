import TsctlModel

extension Rules {
    // tx-timestamps-lost: transmit timestamps lost or in error (the driver's get_ts_stats).
    mutating func txTimestamps(_ itf: InterfaceSnapshot) {
        let check = FindingID.txTimestampsLost
        guard let t = itf.tsStats else { return }
        guard t.state == .read else {
            notRun.append(NotRun(check, itf.name, "the timestamping counters could not be read: \(t.message ?? "error")"))
            return
        }
        guard t.txLost != nil || t.txErr != nil else {
            notRun.append(NotRun(check, itf.name, "the driver reports no lost or failed transmit timestamp counters (get_ts_stats)"))
            return
        }
        let lost = t.txLost ?? 0, err = t.txErr ?? 0
        var evidence = [
            EvidenceItem(.observed, "TSINFO statistics: " + t.counters.map { "\($0.name) \($0.value)" }.joined(separator: ", "))
        ]
        let why = "ptp4l then times out waiting for a transmit timestamp (\"timed out while polling for tx timestamp\")"
        if let s = input.statsSamples[itf.key] {
            let gl = s.growth(\.txLost) ?? 0, ge = s.growth(\.txErr) ?? 0, gp = s.growth(\.txPkts)
            let window = Self.seconds(s.seconds)
            evidence.append(EvidenceItem(.observed, "in \(window): tx_lost +\(gl), tx_err +\(ge)" + (gp.map { ", tx_pkts +\($0)" } ?? "")))
            if gl > 0 || ge > 0 {
                add(
                    .txTimestampsLost, .error, itf.name,
                    "\(itf.displayName) is losing transmit timestamps now: \(gl) lost and \(ge) in error in \(window) "
                        + "(\(lost) lost, \(err) in error in all); \(why)", evidence)
                return
            }
            if lost > 0 || err > 0 {
                add(
                    .txTimestampsLost, .info, itf.name,
                    "\(itf.displayName) lost \(lost) and failed \(err) transmit timestamps since the driver started counting, none in the last \(window)",
                    evidence)
            }
            return
        }
        guard lost > 0 || err > 0 else { return }
        add(
            .txTimestampsLost, .warning, itf.name,
            "\(itf.displayName) lost \(lost) and failed \(err) transmit timestamps since the driver started counting"
                + (t.txPkts.map { " (\($0) delivered)" } ?? "") + "; \(why)",
            evidence, remedy: "tsctl check --sample 10 \(InterfaceName.shellWord(itf.name))   # is it still happening?")
    }

    /// To a tenth, without ".0" for a whole number: one read a moment apart from
    /// another says the same (1999999999.97 and 2e9 s both "2000000000 s").
    static func seconds(_ s: Double) -> String {
        let tenths = (s * 10).rounded() / 10
        return tenths == tenths.rounded() ? "\(Int(tenths)) s" : "\(tenths) s"
    }
}
