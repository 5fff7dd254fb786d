// swift-tools-version:6.0
// The SG-MCMC workbench: samplers, targets and diagnostics as registered plugins,
// crossed in a grid, with GSL references and PLplot reports. See docs/DESIGN.md.
import PackageDescription

let package = Package(
    name: "sgmcmc-workbench",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Workbench", targets: ["Workbench"]),
        .library(name: "Plugins", targets: ["Plugins"]),
        .library(name: "Plotting", targets: ["Plotting"]),
        // The command line as a library: an out-of-tree plugin's executable calls
        // `BenchCLI.main(registry: try Registry.builtin + mine)` (plugins/README.md).
        .library(name: "BenchCLI", targets: ["BenchCLI"]),
        // The conformance kit plugin tests call (`Conformance.check(sampler:)` and friends).
        .library(name: "WorkbenchTesting", targets: ["WorkbenchTesting"]),
        .executable(name: "bench", targets: ["bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CGSL", pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]),
        .systemLibrary(
            name: "CPLplot", pkgConfig: "plplot",
            providers: [.apt(["libplplot-dev", "plplot-driver-cairo"])]),
        .systemLibrary(
            name: "COpenBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        // prctl(PR_SET_PDEATHSIG) for `--isolate`'s children (a header-only module: prctl is variadic).
        .systemLibrary(name: "CProcessControl"),
        .target(name: "Workbench", dependencies: ["CGSL", "COpenBLAS", "CProcessControl", .product(name: "Yams", package: "Yams")]),
        .target(name: "Plugins", dependencies: ["Workbench", "CGSL", "COpenBLAS"]),
        .target(name: "Plotting", dependencies: ["Workbench", "CPLplot"]),
        .target(
            name: "BenchCLI",
            dependencies: [
                "Plugins", "Plotting", "Workbench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .target(name: "WorkbenchTesting", dependencies: ["Workbench"]),
        .executableTarget(name: "bench", dependencies: ["BenchCLI", "Plugins"]),
        .testTarget(
            name: "WorkbenchTests", dependencies: ["Workbench"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "PluginsTests", dependencies: ["Plugins", "Workbench", "WorkbenchTesting"], exclude: ["Golden"]),
        .testTarget(name: "WorkbenchTestingTests", dependencies: ["WorkbenchTesting", "Workbench"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting", "Workbench"]),
        .testTarget(name: "BenchCLITests", dependencies: ["BenchCLI", "Workbench"]),
        .testTarget(name: "benchTests", dependencies: ["bench"]),
        // The no-allocation-per-step check (issue 9), run by scripts/test on a release build:
        // what allocates is a property of optimised code (a debug build allocates for
        // temporaries the optimiser removes). AllocationCounter counts each thread's heap
        // allocations by interposing malloc, so it is linked into this executable only.
        .target(name: "AllocationCounter", path: "Tests/AllocationCounter"),
        .executableTarget(
            name: "allocation-check", dependencies: ["Plugins", "Workbench", "AllocationCounter"],
            path: "Tests/AllocationCheck"),
        // Seed 000's headline result and the minibatch-scheme finding (issue 15) as statistical
        // checks with fixed seeds; run by scripts/test on the release build, where its 2×10⁵-step
        // chains take seconds (minutes in a debug build).
        .executableTarget(
            name: "reproduction-check", dependencies: ["Plugins", "Workbench"],
            path: "Tests/ReproductionCheck"),
    ]
)
