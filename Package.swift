// swift-tools-version:6.0
import PackageDescription

// Data flows one way: kernel -> TsctlNetlink/TsctlSystem -> TsctlInventory
// -> (TsctlDiagnosis) -> TsctlRender -> TsctlCLI -> tsctl.
let package = Package(
    name: "tsctl",
    products: [
        .executable(name: "tsctl", targets: ["tsctl"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        .systemLibrary(
            name: "CNetlink",
            pkgConfig: "libnl-genl-3.0",
            providers: [.apt(["libnl-3-dev", "libnl-genl-3-dev"])]
        ),
        // The commit `tsctl --version` names (see Sources/CBuildInfo/build_info.c).
        .target(name: "CBuildInfo"),
        .target(name: "TsctlSystem", dependencies: ["CNetlink"]),
        // TsctlSystem for OSString: interface names are bytes, not always UTF-8.
        .target(name: "TsctlNetlink", dependencies: ["CNetlink", "TsctlSystem"]),
        .target(name: "TsctlInventory", dependencies: ["TsctlNetlink", "TsctlSystem"]),
        .target(name: "TsctlDesired", dependencies: ["TsctlInventory", "TsctlNetlink"]),
        .target(name: "TsctlPlan", dependencies: ["TsctlInventory", "TsctlDesired", "TsctlNetlink", "TsctlSystem"]),
        // Diagnosis asks the planner whether a desired state is met: one interpretation.
        .target(name: "TsctlDiagnosis", dependencies: ["TsctlInventory", "TsctlDesired", "TsctlPlan"]),
        .target(name: "TsctlRender", dependencies: ["TsctlInventory", "TsctlDiagnosis"]),
        .target(
            name: "TsctlCLI",
            dependencies: [
                "TsctlInventory", "TsctlRender", "TsctlSystem", "TsctlDesired", "TsctlDiagnosis", "TsctlPlan", "CBuildInfo",
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ]
        ),
        .executableTarget(name: "tsctl", dependencies: ["TsctlCLI"]),
        .testTarget(
            name: "TsctlNetlinkTests", dependencies: ["TsctlNetlink"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "TsctlInventoryTests", dependencies: ["TsctlInventory", "TsctlRender", "TsctlDesired", "TsctlDiagnosis", "TsctlPlan"]),
        .testTarget(name: "EndToEndTests", exclude: ["kernel_view.py"])
    ]
)
