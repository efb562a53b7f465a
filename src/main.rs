use std::process::ExitCode;

/// jemalloc, not glibc malloc, is the allocator (the default feature
/// `jemalloc`). A live class opens thousands of event streams in a second or
/// two: glibc's heaps grew to 207 MB at that instant and gave little back,
/// where jemalloc with the settings below peaked at 108.6 MB against a
/// 150 MB target, and the sign-in burst and lesson-page targets hold with it
/// too (`bench/live.sh`, `bench/signin_memory.sh`, `bench/load.sh`;
/// BENCHMARKS.md). `--no-default-features` builds the glibc server, tuned
/// by `limit_malloc_arenas` below, for comparison.
#[cfg(all(feature = "jemalloc", target_os = "linux", target_env = "gnu"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's settings, read by jemalloc itself when it starts (the symbol
/// is its `malloc_conf`, with the `_rjem_` prefix tikv-jemalloc-sys gives
/// every symbol). Freed pages go back to the system after about a second,
/// returned by jemalloc's own background thread rather than by whichever
/// request thread frees next, so a burst's memory does not linger and no
/// request pays for the purge. The environment variable `_RJEM_MALLOC_CONF`
/// still overrides these, for experiments.
#[cfg(all(feature = "jemalloc", target_os = "linux", target_env = "gnu"))]
#[unsafe(export_name = "_rjem_malloc_conf")]
static JEMALLOC_CONF: Option<&'static std::ffi::c_char> = Some(
    // SAFETY: a C string literal lives for the whole program; jemalloc only
    // reads it.
    unsafe { &*c"background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0".as_ptr() },
);

fn main() -> ExitCode {
    limit_malloc_arenas();
    presto::cli::run()
}

/// Only for the glibc build (`--no-default-features`).
///
/// glibc gives each thread that allocates its own heap ("arena"), up to
/// eight per core, and keeps what is freed in it for that thread. The
/// server's threads (two workers, one per SQLite connection, the blocking
/// pool) then hold memory that is free but not returned: about 8 MB more
/// resident under load than with two arenas, at no cost in throughput
/// measured (`bench/load.sh`, BENCHMARKS.md).
///
/// Large blocks (a password hash takes 19 MiB) come straight from the
/// operating system and go back to it when freed. Left to itself glibc
/// raises this limit to the size of the first large block freed, after
/// which every password hash's 19 MiB came from the arenas and stayed
/// there: 40 sign-ins at once left the server at 790 MB
/// (`bench/signin_memory.sh`, BENCHMARKS.md).
///
/// Fixing that limit also stops glibc raising the trim threshold with it,
/// so every free that left 128 KiB at the top of a heap gave it back and
/// the next request asked for it again: `/healthz` cost 170 µs of CPU
/// instead of 85. Up to 8 MiB free at the top of each of the two heaps is
/// kept. Called before any thread starts.
#[cfg(all(target_os = "linux", target_env = "gnu", not(feature = "jemalloc")))]
fn limit_malloc_arenas() {
    // SAFETY: mallopt only sets allocator parameters; no other thread
    // exists yet to race with it.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 8 * 1024 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu", not(feature = "jemalloc"))))]
fn limit_malloc_arenas() {}
