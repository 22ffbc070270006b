// swift-tools-version:6.1
import PackageDescription

// One target per stage of the pipeline (see README "Layout"):
// WasmcSyntax (types, module, opcode table) → WasmcDecode → WasmcValidate → WasmcLower (C text)
// → Wasmc (libtcc compile, loader, runtime API) ; WasmcRuntime is the C runtime in Runtime/.
let package = Package(
    name: "wasmc",
    products: [
        .library(name: "Wasmc", targets: ["Wasmc"]),
        .executable(name: "wasmc", targets: ["wasmc"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swiftwasm/WasmKit", exact: "0.4.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "CTcc", path: "Sources/CTcc"),
        // Only settings SwiftPM allows in a dependency (package-test builds a consumer of Wasmc).
        // Release builds compile C at -O2 already.
        .target(name: "WasmcRuntime", path: "Runtime"),
        .target(name: "WasmcSyntax"),
        .target(name: "WasmcDecode", dependencies: ["WasmcSyntax"]),
        .target(name: "WasmcValidate", dependencies: ["WasmcSyntax"]),
        .target(name: "WasmcLower", dependencies: ["WasmcSyntax", "WasmcRuntime"]),
        .target(name: "Wasmc", dependencies: [
            "WasmcSyntax", "WasmcDecode", "WasmcValidate", "WasmcLower", "WasmcRuntime", "CTcc",
            .product(name: "WAT", package: "WasmKit"),
            // WASI preview1 (README "Libraries used"): WasmKit's host bridge over our linear memory.
            .product(name: "WASI", package: "WasmKit"),
        ]),
        .target(name: "WasmcWast", dependencies: [
            "Wasmc", "WasmcSyntax", .product(name: "WAT", package: "WasmKit"),
        ]),
        .executableTarget(name: "wasmc", dependencies: [
            "Wasmc", "WasmcWast", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "WAT", package: "WasmKit"),
        ]),
        .executableTarget(name: "wasmc-demo", dependencies: ["Wasmc"], path: "examples/demo"),
        .executableTarget(name: "wasmc-wasi-example", dependencies: ["Wasmc"], path: "examples/wasi",
                          exclude: ["wc.c", "wc.wasm"]),
        .executableTarget(name: "wasmc-threads-example", dependencies: ["Wasmc", .product(name: "WAT", package: "WasmKit")],
                          path: "examples/threads"),
        // Fuzzing harnesses' wasmc side (fuzz/README.md): differential runs, decoder mutation, signal chaining.
        .executableTarget(name: "wasmc-fuzz-run", dependencies: ["Wasmc", "WasmcDecode", "WasmcValidate", "WasmcSyntax"],
                          path: "fuzz/runner",
                          // Swift 5 mode: signal handlers and a watchdog thread share plain globals on purpose.
                          swiftSettings: [.swiftLanguageMode(.v5)]),
        // Bound at load (-z now), as Wasmtime's library is when Python loads it (ctypes: RTLD_NOW),
        // so that neither engine's first compile pays for resolving its symbols lazily.
        .executableTarget(name: "wasmc-bench", dependencies: ["Wasmc"], path: "benchmarks/runner",
                          linkerSettings: [.unsafeFlags(["-Xlinker", "-z", "-Xlinker", "now"])]),
        .testTarget(name: "WasmcDecodeTests", dependencies: ["WasmcDecode", "WasmcSyntax", .product(name: "WAT", package: "WasmKit")]),
        .testTarget(name: "WasmcValidateTests", dependencies: ["WasmcValidate", "WasmcDecode", "WasmcSyntax", .product(name: "WAT", package: "WasmKit")]),
        .testTarget(name: "WasmcLowerTests", dependencies: ["WasmcLower", "WasmcDecode", "WasmcValidate", "WasmcSyntax", .product(name: "WAT", package: "WasmKit")],
                    exclude: ["C", "Golden"]),
        .testTarget(name: "WasmcTests", dependencies: ["Wasmc", "WasmcSyntax", .product(name: "WAT", package: "WasmKit")]),
        .testTarget(name: "WasmcThreadsTests", dependencies: ["Wasmc", "WasmcWast", .product(name: "WAT", package: "WasmKit")],
                    exclude: ["Fixtures"]),
        .testTarget(name: "WasmcFuzzTests", dependencies: ["Wasmc", "WasmcSyntax", "wasmc-fuzz-run", .product(name: "WAT", package: "WasmKit")],
                    path: "fuzz/Tests"),
        .testTarget(name: "WasmcBenchTests", path: "Tests/WasmcBenchTests"),
        .testTarget(name: "WasmcWastTests", dependencies: ["WasmcWast", "Wasmc", "WasmcLower", "WasmcDecode", "WasmcValidate",
                                                          .product(name: "WAT", package: "WasmKit")]),
    ],
    // Runtime/ is written in GNU C11.
    cLanguageStandard: .gnu11
)
