// swift-tools-version: 6.0
// `word2vec-mpi`: data-parallel training over MPI. A package of its own so that the main package
// builds and tests without MPI; it uses only the library's public API. Build with
// Scripts/build-mpi.sh (installs Open MPI where missing).
import Foundation
import PackageDescription

// SwiftPM names a path dependency after its folder, whatever that checkout is called.
let mainPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

let package = Package(
    name: "swift-word2vec-mpi",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CMPI", path: "Sources/CMPI", pkgConfig: "ompi-c",
            providers: [.apt(["libopenmpi-dev"]), .brew(["open-mpi"])]),
        .executableTarget(
            name: "word2vec-mpi",
            dependencies: [
                "CMPI",
                .product(name: "Word2Vec", package: mainPackage),
                .product(name: "Word2VecCommandLine", package: mainPackage),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
