use std::process::ExitCode;

fn main() -> ExitCode {
    limit_malloc_arenas();
    presto::cli::run()
}

/// glibc gives each thread that allocates its own heap ("arena"), up to
/// eight per core, and keeps what is freed in it for that thread. The
/// server's threads (two workers, one per SQLite connection, the blocking
/// pool) then hold memory that is free but not returned: about 8 MB more
/// resident under load than with two arenas, at no cost in throughput
/// measured (`bench/load.sh`, BENCHMARKS.md). Called before any thread
/// starts.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    // SAFETY: mallopt only sets an allocator parameter; no other thread
    // exists yet to race with it.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}
