// swift-tools-version:6.0
import PackageDescription

// The model is the centre: TsctlModel holds the values every layer speaks and
// depends on nothing. TsctlCodec, its neighbour, reads and writes them as
// JSON (show --json and --baseline) and TOML (desired-state files).
// TsctlNetlink and TsctlSystem turn bytes and libc calls into those values
// (TsctlSystem also writes standard output); TsctlKernel does every read and
// write of the kernel behind small protocols. The change library and diagnosis
// see only the model and its protocols (KernelWriter, ChangeKernel; diagnosis
// also asks the change library); TsctlRender turns reports into every
// document tsctl prints; the CLI wires them together.
// TsctlTestSupport (kernel trace replay) is linked by the tests only, so the
// tsctl binary ships none of it.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility")
]

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
        .target(name: "TsctlModel", swiftSettings: strict),
        .target(name: "TsctlCodec", dependencies: ["TsctlModel"], swiftSettings: strict),
        .target(name: "TsctlNetlink", dependencies: ["TsctlModel", "CNetlink"], swiftSettings: strict),
        .target(name: "TsctlSystem", dependencies: ["TsctlModel", "CNetlink"], swiftSettings: strict),
        .target(name: "TsctlChange", dependencies: ["TsctlModel"], swiftSettings: strict),
        // The kernel-facing target also implements the change library's protocols
        // on this system (locks, /proc, signals, clock, link events).
        .target(
            name: "TsctlKernel", dependencies: ["TsctlModel", "TsctlNetlink", "TsctlSystem", "TsctlChange"], swiftSettings: strict),
        // Diagnosis asks the planner whether a desired state is met (check --expect):
        // one reading of a file for apply, apply --dry-run and check.
        .target(name: "TsctlDiagnosis", dependencies: ["TsctlModel", "TsctlChange"], swiftSettings: strict),
        .target(name: "TsctlRender", dependencies: ["TsctlModel", "TsctlCodec", "TsctlChange"], swiftSettings: strict),
        // Replays recorded kernel traces; only test targets depend on it.
        .target(
            name: "TsctlTestSupport", dependencies: ["TsctlModel", "TsctlNetlink", "TsctlSystem", "TsctlKernel"],
            swiftSettings: strict),
        .target(
            name: "TsctlCLI",
            dependencies: [
                "TsctlModel", "TsctlCodec", "TsctlKernel", "TsctlChange", "TsctlDiagnosis", "TsctlRender", "TsctlSystem",
                "CBuildInfo",
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ],
            swiftSettings: strict
        ),
        .executableTarget(name: "tsctl", dependencies: ["TsctlCLI"]),
        .testTarget(
            name: "TsctlNetlinkTests", dependencies: ["TsctlModel", "TsctlNetlink", "TsctlTestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "TsctlInventoryTests",
            dependencies: [
                "TsctlModel", "TsctlCodec", "TsctlKernel", "TsctlNetlink", "TsctlSystem", "TsctlChange", "TsctlDiagnosis",
                "TsctlRender", "TsctlTestSupport"
            ],
            resources: [.copy("Traces")]
        ),
        .testTarget(name: "EndToEndTests", exclude: ["kernel_view.py"])
    ]
)
