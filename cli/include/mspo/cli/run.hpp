// The one place where a tool's errors become a message and an exit code.
#pragma once

#include <exception>
#include <functional>
#include <iosfwd>
#include <string>

#include "mspo/cli/options.hpp"

namespace mspo::cli {

/// Parses argv, answers --help / --version, then calls `body` and returns its
/// exit code. This is the tool's only try/catch: an mspo::Error becomes
///   "<tool>: error: <what>: <file>[: offset N]"
/// on stderr and the exit code of its Errc (usage 16, interrupted 32, others
/// 8); any other exception is an operational error (8). A usage error adds a
/// hint line pointing at --help. When --log was given, the error is appended
/// to the log too. Installs the SIGINT/SIGTERM handlers first. A failure to
/// write stdout (disk full, closed pipe) is an operational error too.
int run_tool(const ToolSpec& spec, const po::options_description& extra, int argc, char** argv,
             const std::function<int(const Parsed&)>& body);

/// As run_tool, with the arguments and streams given (for tests).
int run_tool(const ToolSpec& spec, const po::options_description& extra, const std::vector<std::string>& args,
             std::ostream& out, std::ostream& err, const std::function<int(const Parsed&)>& body);

/// The one-line error message for `e` (no trailing newline), e.g.
/// "listuser: error: file not found: /po/GLB/ACCESS.GLB".
std::string error_line(const std::string& tool, const std::exception& e);

/// SIGINT and SIGTERM raise mspo::request_interrupt(); the library stops at
/// its next check and the tool exits 32. The handler is one-shot: a second
/// signal gets the default action (the process ends at once).
void install_interrupt_handlers();

}  // namespace mspo::cli
