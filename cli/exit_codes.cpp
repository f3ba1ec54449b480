#include "mspo/cli/exit_codes.hpp"

namespace mspo::cli {

int exit_code_for(Errc code) noexcept {
    switch (code) {
        case Errc::usage:
            return kUsage;
        case Errc::interrupted:
            return kInterrupted;
        case Errc::model_mismatch:  // nothing was changed: an operational refusal, as in_use
            return kOperational;
        default:
            return kOperational;
    }
}

int exit_code_for(const Error& error) noexcept {
    const int code = exit_code_for(error.code());
    return error.changes_made() > 0 ? code | kFixed : code;
}

int exit_code_for(const Findings& findings) noexcept {
    int code = kClean;
    for (const auto& f : findings) {
        if (f.severity != Severity::error) continue;
        code |= f.fixed ? kFixed : kRemain;
    }
    return code;
}

int exit_code_for(const Report& report) noexcept { return exit_code_for(report.findings); }

const char* exit_code_table() noexcept {
    return "Exit codes (a bitmask, as fsck's; codes combine):\n"
           "   0  no problem found\n"
           "   1  problems were found and all of them fixed\n"
           "   4  problems remain (check-only or dry run, or some could not be fixed)\n"
           "   5  1 + 4: some problems fixed, some remain\n"
           "   8  operational error (unreadable/unwritable file, postoffice in use,\n"
           "      snapshot failed); nothing was changed\n"
           "   9  1 + 8: operational error after some changes were made; the message\n"
           "      says how many and names the snapshot that restores the original\n"
           "  16  usage error\n"
           "  32  interrupted (33 = 32 + 1: interrupted after some changes were made)\n"
           "Only problems of severity error set 1 or 4; warnings and notes never do.\n";
}

}  // namespace mspo::cli
