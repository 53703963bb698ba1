extension Layer {
    /// How users name a provider of this layer (`--source`, show, check, watch):
    /// "mac", "phy:N" with N the PHY index, "phy" when the kernel gave none.
    public func providerLabel(phyIndex: Int?) -> String {
        switch self {
        case .mac: return "mac"
        case .phy: return "phy" + (phyIndex.map { ":\($0)" } ?? "")
        }
    }
}
