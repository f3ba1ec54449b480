// A change that a killed fixer left half done.
//
// A fixer that is killed (power cut, SIGKILL, a full disk at the wrong
// moment) leaves its toolkit lock behind (lock.hpp) and, once it has begun
// changing files, a verified snapshot of everything it meant to change. For
// most fixers a next run simply finishes the work. For a change across files
// that must agree with each other (mbgsplit: an overflow KEY and its MBG, the
// owner's KEY and MBG, the MAI counters) a next run plans from a postoffice
// that is neither the old one nor the new one, and can make it worse
// (docs/RELIABILITY.md 7.2). Such a fixer asks here first, and refuses.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "mspo/format/layout.hpp"

namespace mspo {

namespace fs = std::filesystem;

struct HalfDoneRun {
    std::string lock_text;      // the dead run's lock line
    fs::path snapshot;          // its snapshot, which puts back what it changed
    std::size_t files = 0;      // files the run meant to change (a change of content)
    std::size_t done = 0;       // ... that now hold what it planned
    std::size_t as_before = 0;  // ... that still hold what they held
    std::size_t other = 0;      // ... that hold neither (changed by someone else since)
    std::string first_done;     // one of each, for the message
    std::string first_pending;
};

/// With `stale_lock` the text of a toolkit lock whose holder died ("pid 42 on
/// host h, tool mbgsplit, since T, run R"): when that run was `tool`, finds
/// the snapshot it wrote (named for `tool` and the pid, in `snapshot_dir` or
/// the default folder, with the lock's host and pid in its manifest and taken
/// no earlier than the lock) and compares each file it lists with the
/// postoffice now. Returns the run if it changed some of those files and not
/// all of them; nullopt if the lock names another tool or another host, if
/// there is no such snapshot (the run died before its first change) or if
/// the change is not half done (none made, or all). Throws Error{snapshot}
/// if the snapshot is found but does not verify.
std::optional<HalfDoneRun> find_half_done_run(const Postoffice& po,
                                              const std::optional<fs::path>& snapshot_dir,
                                              std::string_view stale_lock, std::string_view tool);

}  // namespace mspo
