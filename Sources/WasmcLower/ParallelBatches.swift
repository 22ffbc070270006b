import Foundation

/// Ordered parallel map over batches of `0..<count`: `workers` threads run `work` on batches
/// in index order as they free up, at most `window` batches ahead of the consumer; the calling
/// thread hands each result to `consume` in batch order. The first error in batch order is
/// thrown (the batches before it are all consumed); the threads are joined before returning.
enum ParallelBatches {
    private final class State: @unchecked Sendable {
        let condition = NSCondition()
        var results: [String?]
        var next = 0          // next batch to claim
        var consumed = 0      // batches handed to the consumer
        var errorBatch = Int.max
        var error: Error?
        var stop = false
        var running: Int
        init(batches: Int, workers: Int) {
            results = Array(repeating: nil, count: batches)
            running = workers
        }
    }

    static func run(count: Int, batch: Int, workers: Int,
                    _ work: @escaping (Range<Int>) throws -> String,
                    _ consume: (String) throws -> Void) throws {
        let batches = (count + batch - 1) / batch
        let window = workers * 4
        let state = State(batches: batches, workers: workers)
        let box = WorkBox(work)
        for _ in 0..<workers {
            let thread = Thread {
                let c = state.condition
                while true {
                    c.lock()
                    while !state.stop && state.next < batches && state.next - state.consumed >= window { c.wait() }
                    if state.stop || state.next >= batches || state.error != nil {
                        state.running -= 1
                        c.broadcast()
                        c.unlock()
                        return
                    }
                    let k = state.next
                    state.next += 1
                    c.unlock()
                    let range = (k * batch)..<min(count, (k + 1) * batch)
                    let result: Result<String, Error>
                    do { result = .success(try box.work(range)) } catch { result = .failure(error) }
                    c.lock()
                    switch result {
                    case .success(let s): state.results[k] = s
                    case .failure(let e):
                        if k < state.errorBatch { state.errorBatch = k; state.error = e }
                    }
                    c.broadcast()
                    c.unlock()
                }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        defer {
            state.condition.lock()
            state.stop = true
            state.condition.broadcast()
            while state.running > 0 { state.condition.wait() }
            state.condition.unlock()
        }
        for k in 0..<batches {
            state.condition.lock()
            while state.results[k] == nil && state.errorBatch > k { state.condition.wait() }
            guard let s = state.results[k] else {
                let e = state.error!
                state.condition.unlock()
                throw e
            }
            state.results[k] = nil
            state.consumed = k + 1
            state.condition.broadcast()
            state.condition.unlock()
            try consume(s)
        }
    }

    private final class WorkBox: @unchecked Sendable {
        let work: (Range<Int>) throws -> String
        init(_ work: @escaping (Range<Int>) throws -> String) { self.work = work }
    }
}
