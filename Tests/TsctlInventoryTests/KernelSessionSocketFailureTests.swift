import Testing
import TsctlKernel
import TsctlModel
import TsctlNetlink

#if canImport(Glibc)
import Glibc
#endif

/// The kernel's own socket, with sends refused on demand: what a re-read or a
/// change says when the genl socket fails with an errno that is not "no such
/// device" (the kernel cannot be made to do that for loopback).
@Suite struct KernelSessionSocketFailureTests {
    final class Refusing: NetlinkTransport {
        let inner: NetlinkTransport
        var refuse: Int32?
        init(_ inner: NetlinkTransport) { self.inner = inner }
        func send(_ bytes: [UInt8]) throws(NetlinkError) {
            if let refuse { throw .system(call: "sendmsg", errno: refuse) }
            try inner.send(bytes)
        }
        func receive() throws(NetlinkError) -> [UInt8] { try inner.receive() }
    }

    @Test func aRereadReportsAnotherErrnoAsItself() throws {
        let genl = Refusing(try LibnlSocket())
        let inventory = Inventory(client: try EthtoolClient(transport: genl), rtnl: RtnlClient(transport: try LibnlSocket.route()))
        try #require(inventory.client.hasTsconfig, "this kernel has no TSCONFIG_GET (6.14+): a re-read is a snapshot")
        let session = KernelSession(inventory: inventory, forChanges: true)
        let lo = try #require(try session.snapshot(names: ["lo"]).interfaces.first)
        let ref = InterfaceRef(ifindex: lo.ifindex, name: "lo")
        // As it was: read by ifindex, the same interface.
        let again = try session.reread(ref).get()
        #expect(again.name == "lo" && again.ifindex == lo.ifindex && again.active == lo.active && again.advertised == lo.advertised)
        genl.refuse = ENOBUFS
        switch session.reread(ref) {
        case .success: Issue.record("a re-read through a refusing socket succeeded")
        case .failure(let f):
            #expect(f.errno == ENOBUFS && f.kind == .other, "\(f)")
            #expect(f.message.contains("No buffer space available"), "\(f.message)")
        }
        genl.refuse = EPERM
        switch session.send(ConfigChange(txType: TxType(name: "off")?.numbered), to: ref, via: .tsconfigSet) {
        case .success: Issue.record("a change through a refusing socket succeeded")
        case .failure(let f): #expect(f.errno == EPERM && f.kind == .permission, "\(f)")
        }
    }
}
