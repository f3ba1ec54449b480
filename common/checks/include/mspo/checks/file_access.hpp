// Who may read the postoffice's files and who holds locks on them: KB
// Q237695 step 1 ("the files in the ATT, GLB, KEY, MAI, and MBG folders have
// owners and are not locked"), as far as it can be told from this machine.
// Cheap by design: one listing per folder, one stat per entry, one access()
// per file, and the system's list of locks read once (no other file is
// opened where that list exists). A message file (MAI/MA7/0000ABC7.MAI) is
// instead opened and its first 13 bytes read (open, fstat, read, close):
// the open shows it can be read, and its reference counter goes to the
// Postoffice's memo (mai.hpp), so the checks after step 1 read no MAI again. NetWare trustee rights and the
// owners a NetWare server keeps cannot be seen through a mounted volume: callers say so.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mspo/base/finding.hpp"
#include "mspo/format/layout.hpp"

namespace mspo {

/// The folders step 1 names, in its order.
inline constexpr const char* kAccessFolders[] = {"ATT", "GLB", "KEY", "MAI", "MBG"};

struct FileAccessScan {
    std::uint64_t files = 0;       // regular files looked at
    std::uint64_t unreadable = 0;  // perm.unreadable (files and folders that cannot be listed)
    std::uint64_t no_owner = 0;    // perm.no-owner
    std::uint64_t locked = 0;      // perm.locked
    bool as_root = false;          // this process may read every file (access() cannot find unreadable ones)
    bool locks_known = true;       // false: the system lists no locks and files were probed one by one
    std::uint64_t not_probed = 0;  // files whose locks could not be probed (unreadable, without a lock list)
    Findings findings;             // perm.unreadable, perm.no-owner, perm.locked, in folder and name order
};

/// Walks ATT, GLB, KEY, MAI and MBG (and the folders one level below ATT and
/// MAI: AT0..ATF, MA0..MAF) without following links. Entries that are not
/// regular files are skipped (run_checks reports them). A missing folder is
/// skipped (layout.missing-dir). Fills po.mai_refcount_memo() with the
/// counter of every message file it reads. Never throws on what it finds;
/// Error{interrupted} when asked to stop.
FileAccessScan scan_file_access(const Postoffice& po);

}  // namespace mspo
