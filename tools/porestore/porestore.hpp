// porestore: puts a snapshot's files back into the postoffice, byte for byte
// with their mtimes (../../docs/RELIABILITY.md, "Restore rules").
#pragma once

#include <filesystem>
#include <iosfwd>

#include "mspo/cli/options.hpp"

namespace mspo::porestore {

struct Options {
    cli::CommonOptions common;
    std::filesystem::path snapshot;
    bool list = false;    // --list: show the manifest (and each file's state if POSTOFFICE is given)
    bool verify = false;  // --verify: check the archive only
};

const cli::ToolSpec& spec();
const cli::po::options_description& options_description();
/// Parsed command line -> Options. Throws Error{usage} (no POSTOFFICE for a restore,
/// --list with --verify).
Options options_from(const cli::Parsed& parsed);
/// Restores, lists or verifies; prints the report to `out`. Returns the exit
/// code: 0 on success (restored, nothing to restore, verified, listed).
/// Throws mspo::Error: snapshot (does not verify), changed (a file changed
/// since the snapshot, without --force), in_use, unsafe_path, io.
int run(const Options& options, std::ostream& out, std::ostream& err, bool progress);

}  // namespace mspo::porestore
