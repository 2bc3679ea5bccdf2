import Dispatch
import Synchronization

/// What a progress callback of an asynchronous run wants next.
public enum TrainingDecision: Sendable {
    /// Keep training.
    case proceed
    /// End the run at the workers' next check (within a few thousand words each) and return the
    /// model as it stands.
    case stop
}

/// A request to end a run early, shared by the caller and the run's workers. Workers look at it
/// where they refresh their learning rate (every `Trainer.refreshInterval` words each), so asking
/// costs nothing per word.
final class TrainingStop: Sendable {
    enum Reason: Int { case stopped = 1, cancelled = 2 }

    private let state = Atomic<Int>(0)

    /// The first reason asked for, or `nil` while the run may go on.
    var reason: Reason? { Reason(rawValue: state.load(ordering: .relaxed)) }

    /// Asks the run to end; the first reason given wins.
    func request(_ reason: Reason) {
        _ = state.compareExchange(expected: 0, desired: reason.rawValue, ordering: .relaxed)
    }
}

extension Trainer {
    /// Trains a new model on `corpus` without blocking the caller's thread, as `train(corpus:)` does.
    ///
    /// Cancelling the task ends the run within a few thousand words per worker and throws
    /// `CancellationError` (counting the corpus, which comes first, is not interrupted). A
    /// `progress` callback that returns `.stop` ends the run the same way but returns the model: its
    /// `state` records where each worker stopped, as in a checkpoint, so `resume` can finish it and
    /// `save` writes it as a checkpoint. A checkpoint file written before the end is left as it was.
    ///
    /// ```swift
    /// let model = try await trainer.train(corpus: corpus) { event in
    ///     if case .epochFinished(let epoch) = event, epoch.meanLoss < 0.5 { return .stop }
    ///     return .proceed
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - corpus: the text to learn from.
    ///   - vocabulary: the words to learn; built from `corpus` when `nil`.
    ///   - rareWords: words of the corpus left out of `vocabulary`, stored in the model for updates.
    ///   - checkpoint: where and how often to save the model while training.
    ///   - progress: called from worker threads with the events of `train(corpus:)`.
    /// - Throws: `CancellationError`, and what `train(corpus:)` throws.
    public func train(
        corpus: some TrainingCorpus, vocabulary: Vocabulary? = nil, rareWords: CountedWords? = nil,
        checkpoint: Checkpointing? = nil, progress: (@Sendable (TrainingEvent) -> TrainingDecision)? = nil
    ) async throws -> Model {
        guard configuration.documentMode == nil else {
            throw Word2VecError.invalidOption("documentMode", "needs a document corpus: use train(documents:)")
        }
        return try await Self.inBackground(progress) { stop, events in
            try train(corpus: corpus, tags: nil, vocabulary: vocabulary, rareWords: rareWords,
                      progress: events, checkpoint: checkpoint, stop: stop)
        }
    }

    /// Trains paragraph vectors on `documents` without blocking the caller's thread, as
    /// `train(documents:)` does; cancellation and `progress` work as in `train(corpus:progress:)`.
    public func train(
        documents: some DocumentCorpus, vocabulary: Vocabulary? = nil, checkpoint: Checkpointing? = nil,
        progress: (@Sendable (TrainingEvent) -> TrainingDecision)? = nil
    ) async throws -> Model {
        guard configuration.documentMode != nil else {
            throw Word2VecError.invalidOption("documentMode", "is not set: paragraph vectors need a mode")
        }
        return try await Self.inBackground(progress) { stop, events in
            try train(corpus: documents, tags: { try documents.tags() }, vocabulary: vocabulary, rareWords: nil,
                      progress: events, checkpoint: checkpoint, stop: stop)
        }
    }

    /// Continues the run that wrote `model` (a checkpoint, or a run stopped early) on `corpus`, in
    /// place, as `resume(_:corpus:)` does, without blocking the caller's thread.
    ///
    /// However the call ends, `model` stays whole: cancelled (`CancellationError`) or stopped by
    /// `progress`, its `state` records where each worker stopped, so another `resume` goes on from
    /// there (with one thread, ending bit-identical to a run never interrupted).
    ///
    /// - Throws: `CancellationError`, and what `resume(_:corpus:)` throws.
    public func resume(
        _ model: Model, corpus: some TrainingCorpus, checkpoint: Checkpointing? = nil,
        progress: (@Sendable (TrainingEvent) -> TrainingDecision)? = nil
    ) async throws -> Model {
        try await Self.inBackground(progress) { stop, events in
            try resume(model, corpus: corpus, progress: events, checkpoint: checkpoint, stop: stop)
        }
    }

    /// Trains on `corpus` as `train(corpus:progress:)` does, sending every event to `events` and
    /// finishing it when the run ends, however it ends.
    ///
    /// ```swift
    /// let (events, continuation) = AsyncStream.makeStream(of: TrainingEvent.self)
    /// async let model = trainer.train(corpus: corpus, events: continuation)
    /// for await event in events { print(event) }
    /// let trained = try await model
    /// ```
    public func train(
        corpus: some TrainingCorpus, vocabulary: Vocabulary? = nil, rareWords: CountedWords? = nil,
        checkpoint: Checkpointing? = nil, events: AsyncStream<TrainingEvent>.Continuation
    ) async throws -> Model {
        defer { events.finish() }
        return try await train(corpus: corpus, vocabulary: vocabulary, rareWords: rareWords, checkpoint: checkpoint) {
            events.yield($0)
            return .proceed
        }
    }

    /// Runs `body` on a thread of its own (training blocks its thread for the whole run, which must
    /// not be one of the few that run every task), stopping it when the task is cancelled or
    /// `progress` says so.
    private static func inBackground(
        _ progress: (@Sendable (TrainingEvent) -> TrainingDecision)?,
        _ body: @escaping @Sendable (TrainingStop, (@Sendable (TrainingEvent) -> Void)?) throws -> Model
    ) async throws -> Model {
        let stop = TrainingStop()
        let events: (@Sendable (TrainingEvent) -> Void)? = if let progress {
            { event in
                if progress(event) == .stop { stop.request(.stopped) }
            }
        } else {
            nil
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async {
                    continuation.resume(with: Result { try body(stop, events) })
                }
            }
        } onCancel: {
            stop.request(.cancelled)
        }
    }
}

extension InMemoryCorpus {
    /// Sentences from any sequence of token sequences (arrays of `Substring`, lines split lazily, ...),
    /// copied into memory once: training reads a corpus once to count it and once per epoch.
    public init<Sentences: Sequence>(_ sentences: Sentences)
    where Sentences.Element: Sequence, Sentences.Element.Element: StringProtocol {
        self.init(sentences: sentences.map { sentence in sentence.map { String($0) } })
    }
}
