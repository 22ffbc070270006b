// wasmc-fuzz-run: the wasmc side of the fuzzing harnesses (see fuzz/README.md).
//   diff FILE...                      one JSON line per module: each export's results or trap, memory hash
//   mutate [--seconds N] [--seed S] [--compile] [--crashes DIR] [--replay FILE] CORPUS_DIR...
//   signal-chain                      a host SIGSEGV handler installed before wasmc keeps its signals
//   signal-chain-case CASE            the same for SIGBUS, a plain sa_handler, SIG_DFL, SIG_IGN
//   exhaust-memories                  running out of address space for memories is a clean error
import Foundation

setvbuf(stdout, nil, _IOLBF, 0)
var args = Array(CommandLine.arguments.dropFirst())
guard let command = args.first else {
    FileHandle.standardError.write(Data("usage: wasmc-fuzz-run diff|mutate|signal-chain ...\n".utf8))
    exit(2)
}
args.removeFirst()
switch command {
case "diff": exit(DiffRun.main(args))
case "mutate": exit(MutationFuzzer.main(args))
case "signal-chain": exit(SignalChain.main(args))
case "signal-chain-case": exit(SignalChainCases.main(args))
case "exhaust-memories": exit(ExhaustMemories.main(args))
default:
    FileHandle.standardError.write(Data("unknown command \(command)\n".utf8))
    exit(2)
}
