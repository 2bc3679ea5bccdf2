// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "swift-word2vec",
    platforms: [.macOS(.v15)],
    products: [
        // The core: corpora, vocabulary, training, formats, embeddings and queries. What an app that
        // trains or loads vectors links, and nothing more.
        .library(name: "Word2Vec", targets: ["Word2Vec"]),
        // What not every user needs, each in a module of its own over the core.
        .library(name: "Word2VecTokenization", targets: ["Word2VecTokenization"]),
        .library(name: "Word2VecPlotting", targets: ["Word2VecPlotting"]),
        .library(name: "Word2VecItems", targets: ["Word2VecItems"]),
        // The query verbs as requests and JSON answers: what `--json` prints and `serve` answers.
        .library(name: "Word2VecQueries", targets: ["Word2VecQueries"]),
        // The HTTP service over the queries (Hummingbird); only `word2vec serve` links it.
        .library(name: "Word2VecServer", targets: ["Word2VecServer"]),
        // The training options `word2vec` and `word2vec-mpi` (MPI/, a package of its own) share.
        .library(name: "Word2VecCommandLine", targets: ["Word2VecCommandLine"]),
        .executable(name: "word2vec", targets: ["word2vec"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // No traits: neither swift-configuration nor the full Foundation is needed.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        .target(name: "CKernels"),
        .target(name: "Word2Vec", dependencies: ["CZlib", "CKernels"]),
        .target(
            name: "Word2VecTokenization", dependencies: ["Word2Vec"],
            // The toolchain's ICU (word breaking for --tokenizer icu); its module map links nothing.
            linkerSettings: [.linkedLibrary("_FoundationICU", .when(platforms: [.linux]))]),
        .target(name: "Word2VecPlotting", dependencies: ["Word2Vec"]),
        .target(name: "Word2VecItems", dependencies: ["Word2Vec"]),
        .target(name: "Word2VecQueries", dependencies: ["Word2Vec", "Word2VecItems", "Word2VecTokenization"]),
        .target(
            name: "Word2VecServer",
            dependencies: [
                "Word2Vec", "Word2VecQueries", "Word2VecPlotting", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            // The web page, compiled into the binary as byte arrays (`PackageResources`): no files to
            // install beside it, and no Foundation bundle lookup at run time.
            resources: [.embedInCode("Page/index.html"), .embedInCode("Page/page.js"), .embedInCode("Page/page.css")]),
        .target(
            name: "Word2VecCommandLine",
            dependencies: ["Word2Vec", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // Benchmarks/frontier.py's charts, drawn with the library's plotting code; not a product.
        .executableTarget(name: "frontier-chart", dependencies: ["Word2VecPlotting"], path: "Benchmarks/FrontierChart"),
        .executableTarget(
            name: "word2vec",
            dependencies: [
                "Word2Vec", "Word2VecTokenization", "Word2VecPlotting", "Word2VecItems", "Word2VecCommandLine",
                "Word2VecQueries", "Word2VecServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks/ann.py's in-process timing of similarity queries; nothing links it.
        .executableTarget(
            name: "word2vec-ann-search", dependencies: ["Word2Vec", "Word2VecQueries"], path: "Benchmarks/ANNSearch"),
        .testTarget(
            name: "Word2VecTests",
            dependencies: ["Word2Vec", "Word2VecTokenization", "Word2VecPlotting", "Word2VecItems"]),
        .testTarget(
            name: "Word2VecServerTests", dependencies: ["Word2Vec", "Word2VecItems", "Word2VecQueries", "Word2VecServer"]),
    ],
    swiftLanguageModes: [.v6]
)
