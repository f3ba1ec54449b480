// The suite's exit codes: a bitmask, as fsck's (../shared/CONTRACT.md).
#pragma once

#include "mspo/error.hpp"

namespace mspo::cli {

enum ExitCode : int {
    kClean = 0,        // no problem found
    kFixed = 1,        // problems were found and all of them fixed
    kRemain = 4,       // problems remain (check-only, dry run, or not fixable)
    kOperational = 8,  // unreadable/unwritable file, in use, snapshot failed
    kUsage = 16,       // usage error
    kInterrupted = 32, // interrupted
};

/// The exit code for a library error that stopped a tool.
int exit_code_for(Errc code) noexcept;

/// The exit-code table as printed in every --help and in README.md.
const char* exit_code_table() noexcept;

}  // namespace mspo::cli
