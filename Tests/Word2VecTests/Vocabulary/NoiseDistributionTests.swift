import Testing
import Word2Vec

@Suite struct NoiseDistributionTests {
    /// Every count^exponent underflows (or one overflows) a double: the ratios still hold.
    @Test func extremeExponentsKeepTheRatiosOfThePowers() {
        let down = NoiseDistribution(counts: [100, 50, 40], exponent: -200).probabilities
        #expect(down[2] > 0.999999 && down[0] == 0 && down[1] < 1e-6)
        let up = NoiseDistribution(counts: [1 << 40, 1 << 39, 3], exponent: 40).probabilities
        #expect(up[0] > 0.999999 && up[2] == 0)
        // Two equal largest counts share the mass, as the powers would.
        let tie = NoiseDistribution(counts: [60, 60, 59], exponent: 300).probabilities
        #expect(abs(tie[0] - tie[1]) < 1e-6 && tie[2] > 0 && tie[2] < tie[0])
    }

    static let counts = [5000, 1200, 800, 300, 300, 77, 12, 5, 1, 1]

    static func target(_ counts: [Int], exponent: Double) -> [Double] {
        let weights = counts.map { pow(Double($0), exponent) }
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }

    @Test(arguments: [0.75, 1.0, 0.0, -0.5])
    func tableRepresentsTheTargetExactly(exponent: Double) {
        let noise = NoiseDistribution(counts: Self.counts, exponent: exponent)
        for (p, q) in zip(noise.probabilities, Self.target(Self.counts, exponent: exponent)) {
            #expect(abs(p - q) < 1e-8)
        }
    }

    @Test func millionDrawsMatchTheTargetDistribution() {
        let noise = NoiseDistribution(counts: Self.counts, exponent: 0.75)
        let target = Self.target(Self.counts, exponent: 0.75)
        var random = LinearCongruentialGenerator(seed: 12345)
        var histogram = [Int](repeating: 0, count: Self.counts.count)
        let draws = 1_000_000
        for _ in 0..<draws { histogram[noise.sample(using: &random)] += 1 }
        for (i, observed) in histogram.enumerated() {
            let expected = target[i] * Double(draws)
            // Five standard deviations of a binomial count.
            let tolerance = 5 * (expected * (1 - target[i])).squareRoot() + 1
            #expect(abs(Double(observed) - expected) < tolerance, "word \(i): \(observed) vs \(expected)")
        }
    }

    /// The vocabulary has no sentence marker, so it can never be drawn; zero-count words are never
    /// drawn either.
    @Test func zeroWeightWordsAreNeverDrawn() {
        let noise = NoiseDistribution(counts: [10, 0, 5, 0], exponent: 0.75)
        var random = LinearCongruentialGenerator(seed: 1)
        for _ in 0..<100_000 {
            let word = noise.sample(using: &random)
            #expect(word == 0 || word == 2)
        }
    }
}

import Foundation
