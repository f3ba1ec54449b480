// perm.unreadable, perm.no-owner and perm.locked over the ATT, GLB, KEY, MAI
// and MBG folders (KB Q237695 step 1). See file_access.hpp.
#include "mspo/checks/file_access.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "mspo/base/error.hpp"
#include "mspo/base/interrupt.hpp"
#include "mspo/base/platform.hpp"

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
                                       const platform::FileInfo& info, const fs::path& path, bool readable) {
        if (locks) {
            const auto it = locks->find({info.device, info.inode});
            if (it == locks->end()) return std::nullopt;
            return it->second;
        }
        if (!readable) {
            ++scan.not_probed;
            return std::nullopt;
        }
        try {
            const platform::Handle h = platform::open_read_at(dir, name, path);
            return platform::probe_lock(h, path);
        } catch (const Error&) {
            ++scan.not_probed;
            return std::nullopt;
        }
    }

    void file(const platform::Handle& dir, const std::string& name, const fs::path& path,
              const platform::FileInfo& info) {
        ++scan.files;
        const std::string rel = po.relative(path);
        const bool readable = platform::can_read_at(dir, name);
        if (!readable) {
            ++scan.unreadable;
            scan.findings.push_back(make_finding(CheckId::perm_unreadable, rel,
                                                 rel + " cannot be read by this process (mode " +
                                                     octal(info.mode) + ", owner uid " +
                                                     std::to_string(info.uid) + ")"));
        }
        if (!owner_known(info.uid)) {
            ++scan.no_owner;
            scan.findings.push_back(make_finding(
                CheckId::perm_no_owner, rel,
                rel + " is owned by uid " + std::to_string(info.uid) + ", which is no user of this system"));
        }
        if (auto who = lock_on(dir, name, info, path, readable)) {
            ++scan.locked;
            scan.findings.push_back(
                make_finding(CheckId::perm_locked, rel, rel + " is locked by another process: " + *who));
        }
    }

    static std::string octal(std::uint32_t mode) {
        std::string s;
        for (int shift = 9; shift >= 0; shift -= 3) s += static_cast<char>('0' + ((mode >> shift) & 7));
        return s;
    }

    void folder(const fs::path& path, bool descend) {
        platform::Handle dir;
        std::vector<std::string> names;
        try {
            dir = platform::open_dir(path, false);
            names = platform::list_dir(dir, path);
        } catch (const Error& e) {
            if (e.code() == Errc::not_found || e.code() == Errc::unsafe_path) return;
            ++scan.unreadable;
            const std::string rel = po.relative(path);
            scan.findings.push_back(make_finding(CheckId::perm_unreadable, rel,
                                                 "the folder " + rel + " cannot be listed by this process"));
            return;
        }
        std::sort(names.begin(), names.end());
        for (const auto& name : names) {
            throw_if_interrupted();
            const fs::path child = path / name;
            platform::FileInfo info;
            try {
                info = platform::stat_at(dir, name, child);
            } catch (const Error&) {
                ++scan.unreadable;
                const std::string rel = po.relative(child);
                scan.findings.push_back(
                    make_finding(CheckId::perm_unreadable, rel, rel + " cannot be looked at (stat failed)"));
                continue;
            }
            if (info.type == platform::EntryType::regular)
                file(dir, name, child, info);
            else if (info.type == platform::EntryType::directory && descend)
                folder(child, false);
        }
    }
};

}  // namespace

FileAccessScan scan_file_access(const Postoffice& po) {
    FileAccessScan scan;
    Walker walker{po, scan, std::nullopt, {}};
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
        walker.folder(*found, upper == "ATT" || upper == "MAI");
    }
    return scan;
}

}  // namespace mspo
