// swift-tools-version:6.0
// An out-of-tree sampler plugin for the SG-MCMC workbench: `baoab` (BAOAB), the
// command line `bench-baoab` (the workbench's `bench` with it registered), and its tests.
import PackageDescription

let package = Package(
    name: "BAOAB",
    platforms: [.macOS(.v14)],
    dependencies: [
        // The workbench checkout this package was generated from (`bench new-plugin`).
        .package(name: "sgmcmc-workbench", path: "../.."),
    ],
    targets: [
        .target(
            name: "BAOAB",
            dependencies: [.product(name: "Workbench", package: "sgmcmc-workbench")]),
        .executableTarget(
            name: "bench-baoab",
            dependencies: [
                "BAOAB",
                .product(name: "BenchCLI", package: "sgmcmc-workbench"),
                .product(name: "Plugins", package: "sgmcmc-workbench"),
                .product(name: "Workbench", package: "sgmcmc-workbench"),
            ]),
        .testTarget(
            name: "BAOABTests",
            dependencies: [
                "BAOAB",
                .product(name: "WorkbenchTesting", package: "sgmcmc-workbench"),
                .product(name: "Workbench", package: "sgmcmc-workbench"),
                // The built-in targets, for tests beyond the conformance kit.
                .product(name: "Plugins", package: "sgmcmc-workbench"),
            ]),
    ]
)
