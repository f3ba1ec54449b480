// The suite's exit codes: a bitmask, as fsck's (../shared/CONTRACT.md).
#pragma once

#include "mspo/base/error.hpp"
#include "mspo/base/finding.hpp"
#include "mspo/report/report.hpp"

namespace mspo::cli {

enum ExitCode : int {
    kClean = 0,         // no problem found
    kFixed = 1,         // problems were found and all of them fixed
    kRemain = 4,        // problems remain (check-only, dry run, or not fixable)
    kOperational = 8,   // unreadable/unwritable file, in use, snapshot failed
    kUsage = 16,        // usage error
    kInterrupted = 32,  // interrupted
};

/// The exit code for a library error that stopped a tool: 16 usage, 32
/// interrupted, 8 anything else.
int exit_code_for(Errc code) noexcept;
/// As above, plus kFixed when the error came after changes were made
/// (Error::changes_made() > 0): 9 = operational error after changes, 33 =
/// interrupted after changes. run_tool() uses this for every Error.
int exit_code_for(const Error& error) noexcept;

/// The exit code for what a run found and did: 0 no damage (severity error)
/// at all, 1 damage found and all of it fixed, 4 damage left unfixed, 5 some
/// fixed and some left. Warnings and notes do not change the code.
int exit_code_for(const Findings& findings) noexcept;
int exit_code_for(const Report& report) noexcept;

/// The exit-code table as printed in every --help and in README.md (a tool
/// with codes of its own sets ToolSpec::exit_codes instead).
const char* exit_code_table() noexcept;

}  // namespace mspo::cli
