// The operating-system calls the tool layer (cli/) needs: whether stderr is
// a terminal, the stop handlers, and how a path is shown. Beside the
// library's private platform interface (mspo/base/platform.hpp), and
// implemented by the same two files, platform_posix.cpp and platform_win32.cpp.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace mspo::os {

/// True if stderr is a terminal (isatty; on Windows a console).
bool stderr_is_terminal() noexcept;

/// Makes the first stop request (POSIX: SIGINT, SIGTERM; Windows: Ctrl+C,
/// Ctrl+Break, closing the console) raise interrupted(); a second one ends
/// the process at once.
void install_stop_handlers();

/// The arguments after the program's name, as text in UTF-8. POSIX: argv
/// as given. Windows: the wide command line (GetCommandLineW), converted to
/// UTF-8, so an argument the ANSI code page cannot spell (JÜRGEN on a
/// non-Latin system, a name in another script) arrives whole.
std::vector<std::string> command_line(int argc, char** argv);

/// A path named by a command-line argument (text from command_line()).
/// POSIX: the bytes as given. Windows: the UTF-8 text as its wide path.
std::filesystem::path path_from_text(const std::string& text);

/// `dir` joined with `name`: a name, or a relative path with '/' separators,
/// as the toolkit holds names (bytes: what list_dir() gives and reports
/// show; UTF-8 on Windows). Use it, not `dir / name`, for every name held as
/// a string: on Windows libstdc++ converts a narrow string to a path byte by
/// byte, so a name that is not ASCII would name another file (and show
/// mangled). POSIX: `dir / name`.
std::filesystem::path join(const std::filesystem::path& dir, std::string_view name);

/// A path as messages and reports show it: as the user typed it. On
/// Windows the parts the toolkit appends take the separator the user typed
/// first (M:/MAILDATA/GLB, M:\MAILDATA\GLB), and the text is in UTF-8, as
/// the path came in on the command line (command_line()).
std::string path_text(const std::filesystem::path& path);

/// The absolute form of `path` (the current folder before a relative one),
/// shown as path_text() shows a path: on Windows with the separator the
/// user typed first in `path` (M:/MAILDATA stays M:/MAILDATA, where the
/// system's own absolute form would be M:\MAILDATA). Throws Error{io} if
/// the current folder cannot be read.
std::string absolute_text(const std::filesystem::path& path);

}  // namespace mspo::os
