import Foundation
import WasmcLower
import WasmcRuntime

/// The runtime headers' text as the compile step inlines it: the runtime's embedded copies of
/// Runtime/include/wasmc_abi.h and Runtime/prelude/wasmc_prelude.h (our files, read here once;
/// generated C is never read).
enum HeaderTexts {
    /// Header texts live for the whole process (the runtime's static strings, or copies made
    /// once and never freed, read-only), so their bytes can be handed around without copies.
    typealias Text = UnsafeBufferPointer<UInt8>

    nonisolated(unsafe) static let abi = cText(wasmc_abi_header_text())
    nonisolated(unsafe) static let prelude = cText(wasmc_prelude_text())
    nonisolated(unsafe) static let simd = cText(wasmc_simd_text())

    /// The whole text of `header`.
    static func text(_ header: RuntimeHeader) -> Text {
        switch header {
        case .abi: abi
        case .prelude: prelude
        case .simd: simd
        }
    }

    /// For libtcc on x86-64 (LP64) only: the ABI header with its two system includes
    /// (<stdint.h>, <stddef.h>) replaced by `leanTypes`, as pieces (the header's own text
    /// around them: no copy). Reading the system headers (a dozen files through the include
    /// path) cost tcc ~0.5 ms per compile, a tenth of compiling a small module. The header
    /// whole if it no longer has those lines.
    nonisolated(unsafe) static let leanABI: [Text] = {
        guard let r = firstRange(of: systemIncludes, in: abi) else { return [abi] }
        return [Text(rebasing: abi[..<r.lowerBound]), leanTypes, Text(rebasing: abi[r.upperBound...])]
    }()

    private static let systemIncludes = Array("#include <stdint.h>\n#include <stddef.h>\n".utf8)
    /// What the generated code uses of <stdint.h> and <stddef.h>, declared directly.
    nonisolated(unsafe) private static let leanTypes = permanent(Array("""
        typedef signed char int8_t; typedef unsigned char uint8_t; typedef short int16_t; typedef unsigned short uint16_t;
        typedef int int32_t; typedef unsigned int uint32_t; typedef long int64_t; typedef unsigned long uint64_t;
        typedef long intptr_t; typedef unsigned long uintptr_t; typedef unsigned long size_t; typedef long ptrdiff_t;
        #define NULL ((void *)0)
        #define offsetof(type, field) ((size_t)&((type *)0)->field)

        """.utf8))

    private static func cText(_ p: UnsafePointer<CChar>) -> Text {
        Text(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: strlen(p))
    }

    private static func permanent(_ bytes: [UInt8]) -> Text {
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        _ = buffer.initialize(from: bytes)
        return Text(buffer)
    }
}
