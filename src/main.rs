//! The `hud` binary: parse the command line and hand over to the library.

/// glibc's malloc took a fifth of the CPU time of a cached page under load (profiled with
/// `perf`); mimalloc's thread-local free lists make the many small per-request allocations
/// cheap.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    hud::cli::main()
}
