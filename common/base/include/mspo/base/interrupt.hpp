// A process-wide "please stop" flag. The cli layer sets it from its SIGINT /
// SIGTERM handler; long loops in the library poll it between steps (never in
// the middle of a file change) and stop by throwing Error{interrupted}, which
// the tools turn into exit code 32.
#pragma once

namespace mspo {

/// True once request_interrupt() has been called. Lock-free; async-signal-safe.
bool interrupted() noexcept;

/// Raises the flag. Async-signal-safe, so a signal handler may call it.
void request_interrupt() noexcept;

/// Lowers the flag again (for tests, and for tools that handle a stop themselves).
void clear_interrupt() noexcept;

/// Throws Error{Errc::interrupted} if the flag is raised; otherwise does nothing.
void throw_if_interrupted();

}  // namespace mspo
