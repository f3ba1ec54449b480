// The operating-system calls the tool layer (cli/) needs: whether stderr is
// a terminal, the stop handlers, and how a path is shown. Beside the
// library's private platform interface (mspo/base/platform.hpp), and
// implemented by the same two files, platform_posix.cpp and platform_win32.cpp.
#pragma once

#include <filesystem>
#include <string>

namespace mspo::os {

/// True if stderr is a terminal (isatty; on Windows a console).
bool stderr_is_terminal() noexcept;

/// Makes the first stop request (POSIX: SIGINT, SIGTERM; Windows: Ctrl+C,
/// Ctrl+Break, closing the console) raise interrupted(); a second one ends
/// the process at once.
void install_stop_handlers();

/// A path as messages and reports show it: as the user typed it. On
/// Windows the parts the toolkit appends take the separator the user typed
/// first (M:/MAILDATA/GLB, M:\MAILDATA\GLB), and the text is in the ANSI code
/// page, as the path came in on the command line.
std::string path_text(const std::filesystem::path& path);

}  // namespace mspo::os
