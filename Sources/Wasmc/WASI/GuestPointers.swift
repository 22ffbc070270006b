/// The guest pointers each preview1 function takes, as data: WasmKit's WASI computes
/// addresses with trapping 32-bit arithmetic (`pointer + n`), so a pointer or array near
/// 2^32 would crash the host process. wasmc checks every range against the memory first and
/// answers EFAULT instead.
enum GuestPointers {
    /// A pointer argument and the bytes it addresses: `size` bytes, times the value of the
    /// `count` argument when there is one.
    struct Range {
        var pointer: Int
        var count: Int?
        var size: UInt64
    }

    private static func p(_ pointer: Int, _ size: UInt64) -> Range { Range(pointer: pointer, count: nil, size: size) }
    private static func a(_ pointer: Int, _ count: Int, _ size: UInt64) -> Range { Range(pointer: pointer, count: count, size: size) }

    /// Sizes from the preview1 witx: iovec 8, fdstat 24, filestat 64, prestat 8,
    /// subscription 48, event 32; strings and buffers 1 per byte.
    static let ranges: [String: [Range]] = [
        "args_get": [p(0, 4), p(1, 1)],
        "args_sizes_get": [p(0, 4), p(1, 4)],
        "environ_get": [p(0, 4), p(1, 1)],
        "environ_sizes_get": [p(0, 4), p(1, 4)],
        "clock_res_get": [p(1, 8)],
        "clock_time_get": [p(2, 8)],
        "fd_fdstat_get": [p(1, 24)],
        "fd_filestat_get": [p(1, 64)],
        "fd_pread": [a(1, 2, 8), p(4, 4)],
        "fd_prestat_dir_name": [a(1, 2, 1)],
        "fd_prestat_get": [p(1, 8)],
        "fd_pwrite": [a(1, 2, 8), p(4, 4)],
        "fd_read": [a(1, 2, 8), p(3, 4)],
        "fd_readdir": [a(1, 2, 1), p(4, 4)],
        "fd_seek": [p(3, 8)],
        "fd_tell": [p(1, 8)],
        "fd_write": [a(1, 2, 8), p(3, 4)],
        "path_create_directory": [a(1, 2, 1)],
        "path_filestat_get": [a(2, 3, 1), p(4, 64)],
        "path_filestat_set_times": [a(2, 3, 1)],
        "path_link": [a(2, 3, 1), a(5, 6, 1)],
        "path_open": [a(2, 3, 1), p(8, 4)],
        "path_readlink": [a(1, 2, 1), a(3, 4, 1), p(5, 4)],
        "path_remove_directory": [a(1, 2, 1)],
        "path_rename": [a(1, 2, 1), a(4, 5, 1)],
        "path_symlink": [a(0, 1, 1), a(3, 4, 1)],
        "path_unlink_file": [a(1, 2, 1)],
        "poll_oneoff": [a(0, 2, 48), a(1, 2, 32), p(3, 4)],
        "random_get": [a(0, 1, 1)],
        "sock_accept": [p(2, 4)],
        "sock_recv": [a(1, 2, 8), p(4, 4), p(5, 2)],
        "sock_send": [a(1, 2, 8), p(4, 4)],
    ]

    /// True when every range in `ranges` lies inside a memory of `length` bytes.
    static func inBounds(_ ranges: [Range], _ args: [Value], length: UInt64) -> Bool {
        for r in ranges {
            guard case .i32(let pointer) = args[r.pointer] else { return false }
            var bytes = r.size
            if let c = r.count, case .i32(let count) = args[c] { bytes *= UInt64(count) }
            if UInt64(pointer) + bytes > length { return false }
        }
        return true
    }
}
