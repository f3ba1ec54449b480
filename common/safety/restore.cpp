#include "mspo/safety/restore.hpp"

#include "mspo/safety/atomic_file.hpp"
#include "mspo/base/crc32.hpp"
#include "mspo/base/error.hpp"
#include "mspo/safety/snapshot.hpp"

namespace mspo {

namespace {

/// The current state of a postoffice file (no links followed).
FileState current_state(const Postoffice& po, const std::string& relpath) {
    FileState s;
    std::string p = relpath;
    if (auto found = po.find(relpath)) p = po.relative(*found);
    auto [reldir, name] = atomic::split_parent(p);
    std::optional<atomic::SafeDir> dir;
    try {
        dir.emplace(atomic::SafeDir::open(po.root(), reldir));
    } catch (const Error& e) {
        if (e.code() == Errc::not_found) return s;
        throw;
    }
    const fs::path shown = dir->path() / name;
    auto info = platform::stat_at(dir->handle(), name, shown);
    if (info.type == platform::EntryType::missing) return s;
    if (info.type == platform::EntryType::directory) {
        s.present = s.folder = true;
        return s;
    }
    auto file = platform::open_read_at(dir->handle(), name, shown);  // refuses links, non-regular
    Crc32 crc;
    Bytes buf(256 * 1024);
    std::uint64_t total = 0;
    for (std::size_t n; (n = platform::read_some(file, buf.data(), buf.size(), shown)) > 0; total += n)
        crc.update(ByteSpan(buf.data(), n));
    s.present = true;
    s.size = total;
    s.mtime_ns = info.mtime_ns;
    s.crc32 = crc.value();
    return s;
}

std::string describe(const FileState& s) {
    if (!s.present) return "absent";
    if (s.folder) return "a folder";
    return std::to_string(s.size) + " bytes, CRC " + std::to_string(s.crc32);
}

}  // namespace

RestorePlan plan_restore(const Postoffice& po, const fs::path& snapshot) {
    RestorePlan plan;
    auto files = read_snapshot_files(snapshot, plan.manifest);
    std::error_code ec;
    auto here = fs::canonical(po.root(), ec);
    if (!ec && here.string() != plan.manifest.postoffice)
        plan.notes.push_back("snapshot was taken of " + plan.manifest.postoffice + ", restoring into " +
                             here.string());
    for (const auto& f : plan.manifest.files) {
        RestoreItem item;
        item.path = f.path;
        FileState now = current_state(po, f.path);
        if (f.before.folder || (f.after && f.after->folder)) {
            // A folder the fixer made (FileAction::make_dir): a restore
            // leaves it in place (it removes no folder); its state is shown.
            item.current = now.same_content(f.before)              ? RestoreItem::Current::as_before
                           : f.after && now.same_content(*f.after) ? RestoreItem::Current::as_after
                                                                   : RestoreItem::Current::changed;
            plan.items.push_back(std::move(item));
            continue;
        }
        if (now.same_content(f.before)) {
            item.current = RestoreItem::Current::as_before;
            item.needs_action = now.present && now.mtime_ns != f.before.mtime_ns;
        } else {
            item.needs_action = true;
            if (f.after && now.same_content(*f.after)) {
                item.current = RestoreItem::Current::as_after;
            } else {
                item.current = RestoreItem::Current::changed;
                item.why = "now " + describe(now) + "; snapshot recorded " + describe(f.before) +
                           (f.after ? " before and " + describe(*f.after) + " after the change"
                                    : " (no after-state recorded)");
                plan.conflicts.push_back(f.path);
            }
        }
        if (item.needs_action) {
            FileAction a;
            a.relpath = f.path;
            if (!f.before.present) {
                a.kind = FileAction::Kind::remove;
            } else {
                a.kind = now.present ? FileAction::Kind::replace : FileAction::Kind::create;
                a.contents = std::move(files.at(f.path));
                a.mtime_ns = f.before.mtime_ns;
            }
            plan.changes.actions.push_back(std::move(a));
        }
        plan.items.push_back(std::move(item));
    }
    return plan;
}

ApplyResult restore_snapshot(const Postoffice& po, const fs::path& snapshot, const ApplyOptions& options,
                             RestorePlan* plan_out) {
    RestorePlan plan = plan_restore(po, snapshot);
    if (!plan.conflicts.empty() && !options.force) {
        const auto count = plan.conflicts.size();
        std::string first;
        for (const auto& i : plan.items)
            if (i.current == RestoreItem::Current::changed) {
                first = i.path + " (" + i.why + ")";
                break;
            }
        if (plan_out) *plan_out = std::move(plan);
        throw Error(Errc::changed,
                    std::to_string(count) + " file(s) changed since the snapshot, first " + first +
                        "; use --force to restore anyway",
                    snapshot);
    }
    ApplyOptions o = options;
    for (const auto& f : plan.manifest.files) o.tidy_dirs.push_back(atomic::split_parent(f.path).first);
    ApplyResult r = apply_plan(po, plan.changes, o);
    if (r.actions_done > 0) {
        // Folder mtimes last: restoring files changed them.
        for (const auto& [dir, mtime] : plan.manifest.dirs) {
            auto found = po.find(dir);
            if (!found) continue;
            auto [parent, name] = atomic::split_parent(po.relative(*found));
            auto h = atomic::SafeDir::open(po.root(), parent);
            if (platform::stat_at(h.handle(), name, h.path() / name).type == platform::EntryType::directory)
                platform::set_mtime_at(h.handle(), name, mtime, h.path() / name);
        }
    }
    if (plan_out) *plan_out = std::move(plan);
    return r;
}

}  // namespace mspo
