// The one place where a tool's errors become a message and an exit code.
#pragma once

#include <exception>
#include <functional>
#include <iosfwd>
#include <string>

#include "mspo/cli/options.hpp"

namespace mspo {
class JsonWriter;
}

namespace mspo::cli {

/// Parses argv, answers --help / --version, opens the --log file (into
/// Parsed::common.log; a log that cannot be opened, or is not a regular
/// file, stops the run with exit 8 before anything else is done), refuses a
/// POSTOFFICE that is not a postoffice, then calls `body` and returns its
/// exit code. This is the tool's only try/catch: an mspo::Error becomes
///   "<tool>: error: <what>: <file>[: offset N]"
/// (terminal_safe) on stderr and exit_code_for(error) (usage 16, interrupted
/// 32, others 8; plus 1 when changes were made: 9, 33); any other exception
/// is an operational error (8). A usage error adds a hint line pointing at
/// --help. With --log, the error is appended to the log too. With --json
/// (found in the arguments even when they do not parse), an error leaves
/// exactly one JSON document on stdout:
///   {"tool": ..., "postoffice": ... or null,
///    "error": {"errc", "message", "file" (or null), "offset" (or null),
///              "changes_made", "undo_snapshot" (or null)},
///    "exit_code": N}
/// unless the body had already written its report there. A failure to write
/// stdout (disk full, closed pipe) is an operational error, or an
/// interruption if a signal caused it. With -v, the total time is shown on
/// stderr. Installs the SIGINT/SIGTERM handlers first.
int run_tool(const ToolSpec& spec, const po::options_description& extra, int argc, char** argv,
             const std::function<int(const Parsed&)>& body);

/// As run_tool, with the arguments and streams given (for tests).
int run_tool(const ToolSpec& spec, const po::options_description& extra, const std::vector<std::string>& args,
             std::ostream& out, std::ostream& err, const std::function<int(const Parsed&)>& body);

/// The error object of the JSON document above ({"errc", "message", "file",
/// "offset", "changes_made", "undo_snapshot"}), written at the writer's
/// current place: for a tool that writes its own report with the error in
/// it (palfix after changes, so that the findings already repaired are listed).
void write_error_object(JsonWriter& w, const std::exception& e);

/// The one-line error message for `e` (no trailing newline, terminal_safe),
/// e.g. "listuser: error: file not found: /po/GLB/ACCESS.GLB".
std::string error_line(const std::string& tool, const std::exception& e);

/// SIGINT and SIGTERM raise mspo::request_interrupt(). The handler does not
/// restart system calls, so a call blocked in the kernel (a read, a write to
/// a full pipe, an open) returns at once and the library reports
/// Errc::interrupted (throw_errno); loops poll the flag between steps. The
/// tool exits 32. The handler is one-shot: a second signal gets the default
/// action (the process ends at once).
void install_interrupt_handlers();

}  // namespace mspo::cli
