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
        .target(name: "Workbench", dependencies: ["CGSL", .product(name: "Yams", package: "Yams")]),
        .target(name: "Plugins", dependencies: ["Workbench", "CGSL"]),
        .target(name: "Plotting", dependencies: ["Workbench", "CPLplot"]),
        .executableTarget(
            name: "bench",
            dependencies: [
                "Plugins", "Plotting", "Workbench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(
            name: "WorkbenchTests", dependencies: ["Workbench"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "PluginsTests", dependencies: ["Plugins", "Workbench"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting", "Workbench"]),
        .testTarget(name: "benchTests", dependencies: ["bench"]),
    ]
)
