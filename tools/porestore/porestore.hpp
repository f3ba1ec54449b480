// porestore: puts a snapshot's files back into the postoffice, byte for byte
// with their mtimes, modes and owners (../../docs/RELIABILITY.md, "Restore
// rules"). The tool's logic, built as porestore_lib so that its option
// parsing is unit-tested; the restore itself is the library's (restore.hpp).
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
/// Parsed command line -> Options. Opens no file. Throws Error{usage} (no
/// SNAPSHOT, no POSTOFFICE for a restore, --list with --verify).
Options options_from(const cli::Parsed& parsed);
/// Restores, lists or verifies; prints the report to `out`. Returns the exit
/// code: 0 on success (restored as asked, nothing to restore, verified,
/// listed), 4 if files outside the snapshot tool's folders were refused.
/// Throws mspo::Error: snapshot (does not verify, another postoffice without
/// --force), changed (a file changed since the snapshot, without --force),
/// in_use, unsafe_path, io; after changes, Error::after_changes (exit 9).
int run(const Options& options, std::ostream& out, std::ostream& err, bool progress);

}  // namespace mspo::porestore
