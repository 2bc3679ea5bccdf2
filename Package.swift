// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "swift-word2vec",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Word2Vec", targets: ["Word2Vec"]),
        .executable(name: "word2vec", targets: ["word2vec"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        .target(name: "CKernels"),
        .target(
            name: "Word2Vec", dependencies: ["CZlib", "CKernels"],
            // The toolchain's ICU (word breaking for --tokenizer icu); its module map links nothing.
            linkerSettings: [.linkedLibrary("_FoundationICU", .when(platforms: [.linux]))]),
        .executableTarget(
            name: "word2vec",
            dependencies: [
                "Word2Vec",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "Word2VecTests", dependencies: ["Word2Vec"]),
    ],
    swiftLanguageModes: [.v6]
)
