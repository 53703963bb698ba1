import Foundation
import Testing
import TsctlModel
import TsctlNetlink
import TsctlSystem

@testable import TsctlKernel

#if canImport(Glibc)
import Glibc
#endif

/// Every interface read completely (JSON, check) with the assembly on a second thread
/// beside the link dump, against the running kernel in a network namespace of the
/// test's own: the snapshot is the one a single thread assembles from the same kernel.
@Suite struct CompleteListingTests {
    @Test(.enabled(if: getuid() == 0, "needs root to make a network namespace and devices (CI runs as root)"))
    func theAssemblyBesideTheLinkDumpGivesWhatOneThreadAssembles() async throws {
        let result = await #expect(processExitsWith: .exitCode(0), observing: [\.standardOutputContent]) {
            // tv1 names a master made after it (later in the dump); the bridge has no
            // get_ts_info op (the TSINFO dump leaves it out: asked by name).
            guard
                privateNamespace([
                    "link add tv0 type veth peer name tv1", "link add link tv0 name tm0 type macvlan", "link add tb0 type bridge",
                    "link set tv1 master tb0", "link add tb1 type bridge"
                ]), let inventory = try? Inventory.open(),
                let r = try? inventory.gather(names: nil, detail: .complete),
                let one = try? SnapshotAssembly.assemble(r, system: inventory.system)
            else { exit(2) }
            for chunk in [1, 2, 256] {
                var parts: [InterfaceSnapshot] = []
                var kernels: [KernelInfo] = []
                let onThread = pthread_self()
                var elsewhere = true
                guard
                    let kernel = try? inventory.completeListing(
                        chunk: chunk,
                        each: { p, k in
                            parts += p
                            kernels.append(k)
                            if pthread_equal(pthread_self(), onThread) != 0 { elsewhere = false }
                        })
                else {
                    print("chunk \(chunk) not listed that way")
                    continue
                }
                print(
                    "chunk \(chunk) same \(parts == one.interfaces) kernel \(kernel == one.kernel && kernels.allSatisfy { $0 == one.kernel }) elsewhere \(elsewhere)"
                )
            }
            print("names \(one.interfaces.map(\.name).joined(separator: " "))")
            exit(0)
        }
        let out = String(decoding: try #require(result).standardOutputContent, as: UTF8.self)
        let lines = out.split(separator: "\n").map(String.init)
        #expect(
            lines == [
                "chunk 1 same true kernel true elsewhere true", "chunk 2 same true kernel true elsewhere true",
                "chunk 256 same true kernel true elsewhere true", "names lo tv1 tv0 tm0 tb0 tb1"
            ], "\(out)")
    }

    /// A link is assembled once every link it names has arrived: its master, its
    /// active slave, and each device below a stacked one.
    @Test func aLinkWaitsForTheLinksItNames() {
        let veth = LinkReply(index: 2, name: "tv1", kind: "veth", link: 3, master: 9)
        let vlan = LinkReply(index: 5, name: "v10", kind: "vlan", link: 7)
        let lowerOfVlan = LinkReply(index: 7, name: "m0", kind: "macvlan", link: 8)
        let bond = LinkReply(index: 6, name: "bond0", kind: "bond", bondActiveSlave: 4)
        let slave = LinkReply(index: 4, name: "e0", master: 6)
        let arrived = { (ls: [LinkReply]) in { (i: UInt32) in ls.first { $0.index == i } } }
        // A veth's peer (IFLA_LINK) names nothing tsctl prints; its master does.
        #expect(!Inventory.namesArrived(veth, link: arrived([veth])))
        #expect(Inventory.namesArrived(veth, link: arrived([veth, LinkReply(index: 9, name: "tb0", kind: "bridge")])))
        // Down the stack: the vlan's lower device, and the macvlan's below that.
        #expect(!Inventory.namesArrived(vlan, link: arrived([vlan])))
        #expect(!Inventory.namesArrived(vlan, link: arrived([vlan, lowerOfVlan])))
        #expect(Inventory.namesArrived(vlan, link: arrived([vlan, lowerOfVlan, LinkReply(index: 8, name: "e1")])))
        // A bond's active slave (which names the bond as its master).
        #expect(!Inventory.namesArrived(bond, link: arrived([bond])))
        #expect(Inventory.namesArrived(bond, link: arrived([bond, slave])))
        // A lower device in another namespace is not looked for.
        var elsewhere = vlan
        elsewhere.linkInOtherNamespace = true
        #expect(Inventory.namesArrived(elsewhere, link: arrived([elsewhere])))
    }
}
