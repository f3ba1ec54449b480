// perm.unreadable, perm.no-owner and perm.locked over the ATT, GLB, KEY, MAI
// and MBG folders (KB Q237695 step 1). See file_access.hpp.
#include "mspo/checks/file_access.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "mspo/base/error.hpp"
#include "mspo/base/interrupt.hpp"
#include "mspo/base/os.hpp"
#include "mspo/base/platform.hpp"
#include "mspo/format/mai.hpp"

namespace mspo {

namespace {

using LockMap = std::map<std::pair<std::uint64_t, std::uint64_t>, std::string>;

struct Walker {
    const Postoffice& po;
    FileAccessScan& scan;
    std::optional<LockMap> locks;          // from the system's list, if it has one
    std::map<std::uint32_t, bool> owners;  // uid -> is a user here

    bool owner_known(std::uint32_t uid) {
        const auto it = owners.find(uid);
        if (it != owners.end()) return it->second;
        return owners.emplace(uid, platform::user_exists(uid)).first->second;
    }

    std::optional<std::string> lock_on(const platform::Handle& dir, const std::string& name,
                                       const platform::FileInfo& info, const fs::path& where, bool readable) {
        if (locks) {
            const auto it = locks->find({info.device, info.inode});
            if (it == locks->end()) return std::nullopt;
            return it->second;
        }
        if (!readable) {
            ++scan.not_probed;
            return std::nullopt;
        }
        const fs::path path = os::join(where, name);
        try {
            const platform::Handle h = platform::open_read_at(dir, name, path);
            return platform::probe_lock(h, path);
        } catch (const Error&) {
            ++scan.not_probed;
            return std::nullopt;
        }
    }

    // A regular file of `where`; `readable` is known when it was just opened
    // for reading. Its path is built only for a finding or a probe.
    void file(const platform::Handle& dir, const std::string& name, const fs::path& where,
              const platform::FileInfo& info, std::optional<bool> readable_known) {
        ++scan.files;
        const bool readable = readable_known ? *readable_known : platform::can_read_at(dir, name);
        const auto rel = [&] { return po.relative(os::join(where, name)); };
        if (!readable) {
            ++scan.unreadable;
            const std::string r = rel();
            scan.findings.push_back(make_finding(CheckId::perm_unreadable, r,
                                                 r + " cannot be read by this process (mode " +
                                                     octal(info.mode) + ", owner uid " +
                                                     std::to_string(info.uid) + ")"));
        }
        if (!owner_known(info.uid)) {
            ++scan.no_owner;
            const std::string r = rel();
            scan.findings.push_back(make_finding(
                CheckId::perm_no_owner, r,
                r + " is owned by uid " + std::to_string(info.uid) + ", which is no user of this system"));
        }
        if (auto who = lock_on(dir, name, info, where, readable)) {
            ++scan.locked;
            const std::string r = rel();
            scan.findings.push_back(
                make_finding(CheckId::perm_locked, r, r + " is locked by another process: " + *who));
        }
    }

    // Any entry: one stat, then file() (one access()) or a subfolder.
    void entry(const platform::Handle& dir, const std::string& name, const fs::path& where, bool descend) {
        platform::FileInfo info;
        try {
            info = platform::stat_at(dir, name, os::join(where, name));
        } catch (const Error&) {
            ++scan.unreadable;
            const std::string rel = po.relative(os::join(where, name));
            scan.findings.push_back(
                make_finding(CheckId::perm_unreadable, rel, rel + " cannot be looked at (stat failed)"));
            return;
        }
        if (info.type == platform::EntryType::regular)
            file(dir, name, where, info, std::nullopt);
        else if (info.type == platform::EntryType::directory && descend)
            folder(os::join(where, name), false, mai_digit(name));
    }

    // A message file of MAI/MA<digit>, named as MS Mail names it: opened and
    // read once for step 1 and for its reference counter (mai.hpp), which
    // the later checks then take from the Postoffice's memo: open, fstat,
    // read, close instead of stat and access() here and open, fstat, read,
    // close again there. The open itself shows the file can be read. Any
    // error: looked at as any other entry is.
    void mai_file(const platform::Handle& dir, const std::string& name, const fs::path& where,
                  std::uint32_t number) {
        platform::FileHead head;
        try {
            head = platform::read_head_at(dir, name, kMaiMinSize, where);
        } catch (const Error& e) {
            if (e.code() == Errc::interrupted) throw;
            entry(dir, name, where, false);
            return;
        }
        if (head.bytes.size() >= kMaiMinSize)
            po.mai_refcount_memo().emplace(number, get_refcount(head.bytes));
        file(dir, name, where, head.info, true);
    }

    static std::string octal(std::uint32_t mode) {
        std::string s;
        for (int shift = 9; shift >= 0; shift -= 3) s += static_cast<char>('0' + ((mode >> shift) & 7));
        return s;
    }

    // The digit of a MAI subfolder written as the Postoffice finds it first
    // ("MA7": exact upper case), else -1: only there are counters memoized.
    int mai_digit(const std::string& name) const {
        if (!in_mai || name.size() != 3 || name[0] != 'M' || name[1] != 'A') return -1;
        const char c = name[2];
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    // The number of a message file of folder MA<digit> named as MS Mail
    // names it ("0000ABC7.MAI": upper case, last hex digit the folder's).
    static std::optional<std::uint32_t> canonical_mai(const std::string& name, int digit) {
        const auto n = file_number(name, "MAI");
        if (!n || (*n & 15u) != static_cast<unsigned>(digit) || name != format_hex8(*n) + ".MAI")
            return std::nullopt;
        return n;
    }

    bool in_mai = false;  // walking the MAI folder

    void folder(const fs::path& path, bool descend, int digit = -1) {
        platform::Handle dir;
        std::vector<platform::DirEntry> entries;
        try {
            dir = platform::open_dir(path, false);
            entries = platform::list_dir_typed(dir, path);
        } catch (const Error& e) {
            if (e.code() == Errc::not_found || e.code() == Errc::unsafe_path) return;
            ++scan.unreadable;
            const std::string rel = po.relative(path);
            scan.findings.push_back(make_finding(CheckId::perm_unreadable, rel,
                                                 "the folder " + rel + " cannot be listed by this process"));
            return;
        }
        std::sort(entries.begin(), entries.end(),
                  [](const platform::DirEntry& a, const platform::DirEntry& b) { return a.name < b.name; });
        for (const auto& e : entries) {
            throw_if_interrupted();
            if (digit >= 0 && e.type == platform::EntryType::regular)
                if (const auto n = canonical_mai(e.name, digit)) {
                    mai_file(dir, e.name, path, *n);
                    continue;
                }
            entry(dir, e.name, path, descend);
        }
    }
};

}  // namespace

FileAccessScan scan_file_access(const Postoffice& po) {
    FileAccessScan scan;
    Walker walker{po, scan, std::nullopt, {}, false};
    scan.as_root = platform::may_set_any_owner();
    if (auto held = platform::list_held_locks()) {
        walker.locks.emplace();
        const long self = platform::current_pid();
        const std::string mine = "held by pid " + std::to_string(self);
        for (auto& lock : *held) {
            // This process holds no lock on the postoffice; skip its own anyway.
            if (lock.what.size() >= mine.size() &&
                lock.what.compare(lock.what.size() - mine.size(), mine.size(), mine) == 0)
                continue;
            walker.locks->emplace(std::make_pair(lock.device, lock.inode), std::move(lock.what));
        }
    } else {
        scan.locks_known = false;
    }
    for (const char* name : kAccessFolders) {
        const auto found = po.find(name);
        if (!found) continue;
        const std::string upper = name;
        walker.in_mai = upper == "MAI";
        walker.folder(*found, upper == "ATT" || upper == "MAI");
    }
    return scan;
}

}  // namespace mspo
