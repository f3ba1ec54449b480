#include "mspo/safety/half_done.hpp"

#include <algorithm>
#include <charconv>
#include <vector>

#include "mspo/base/error.hpp"
#include "mspo/base/platform.hpp"
#include "mspo/safety/lock.hpp"
#include "mspo/safety/restore.hpp"
#include "mspo/safety/snapshot.hpp"
#include "mspo/base/os.hpp"

namespace mspo {

namespace {

/// The text between `from` and `to` in a lock line ("pid 42 on host h,
/// tool t, since T, run R"); nullopt if either is missing.
std::optional<std::string_view> between(std::string_view text, std::string_view from, std::string_view to) {
    const auto a = text.find(from);
    if (a == std::string_view::npos) return std::nullopt;
    const auto start = a + from.size();
    const auto b = to.empty() ? text.size() : text.find(to, start);
    if (b == std::string_view::npos) return std::nullopt;
    return text.substr(start, b - start);
}

std::optional<long> lock_pid(std::string_view text) {
    const auto digits = between(text, "pid ", " on host ");
    if (!digits || digits->empty() || text.substr(0, 4) != "pid ") return std::nullopt;
    long pid = 0;
    const auto [end, ec] = std::from_chars(digits->data(), digits->data() + digits->size(), pid);
    if (ec != std::errc() || end != digits->data() + digits->size()) return std::nullopt;
    return pid;
}

/// "<time>-<tool>-<pid>.tar.gz" or "<time>-<tool>-<pid>-<n>.tar.gz"
/// (snapshot_file_name(), and its form after a name clash).
bool names_run(std::string_view name, std::string_view tool, long pid) {
    constexpr std::string_view kSuffix = ".tar.gz";
    if (name.size() <= kSuffix.size() || !name.ends_with(kSuffix)) return false;
    std::string_view base = name.substr(0, name.size() - kSuffix.size());
    const std::string mark = "-" + std::string(tool) + "-" + std::to_string(pid);
    if (base.ends_with(mark)) return true;
    const auto dash = base.rfind('-');
    if (dash == std::string_view::npos || dash + 1 == base.size()) return false;
    if (!std::all_of(base.begin() + static_cast<std::ptrdiff_t>(dash) + 1, base.end(),
                     [](char c) { return c >= '0' && c <= '9'; }))
        return false;
    return base.substr(0, dash).ends_with(mark);
}

}  // namespace

std::optional<HalfDoneRun> find_half_done_run(const Postoffice& po,
                                              const std::optional<fs::path>& snapshot_dir,
                                              std::string_view stale_lock, std::string_view tool) {
    const auto pid = lock_pid(stale_lock);
    const auto host = lock_holder_host(stale_lock);
    const auto lock_tool = between(stale_lock, ", tool ", ", since ");
    const auto since = between(stale_lock, ", since ", ", run ");
    if (!pid || !host || !lock_tool || *lock_tool != tool || *host != platform::host_name())
        return std::nullopt;

    const fs::path dir = snapshot_dir ? *snapshot_dir : default_snapshot_dir(po.root());
    std::vector<std::string> names;
    try {
        const auto h = platform::open_dir(dir, false);
        for (auto& name : platform::list_dir(h, dir))
            if (names_run(name, tool, *pid)) names.push_back(std::move(name));
    } catch (const Error& e) {
        if (e.code() == Errc::not_found) return std::nullopt;  // no snapshot folder: no change was made
        throw;
    }
    // Newest first: the name begins with the time it was taken.
    std::sort(names.begin(), names.end(), std::greater<>());
    for (const auto& name : names) {
        const fs::path snapshot = os::join(dir, name);
        RestorePlan plan = plan_restore(po, snapshot, true);
        const Manifest& m = plan.manifest;
        if (m.pid != *pid || m.host != *host || m.tool != tool) continue;
        if (since && m.created < std::string(*since)) continue;  // both ISO 8601 UTC: an older run's
        if (plan.items.size() != m.files.size())
            throw Error(Errc::snapshot, "restore plan does not match the manifest", snapshot);
        HalfDoneRun run;
        run.lock_text = std::string(stale_lock);
        run.snapshot = snapshot;
        for (std::size_t i = 0; i < m.files.size(); ++i) {
            const auto& f = m.files[i];
            if (f.after && f.before.same_content(*f.after)) continue;  // no change of content planned
            ++run.files;
            switch (plan.items[i].current) {
                case RestoreItem::Current::as_before:
                    ++run.as_before;
                    if (run.first_pending.empty()) run.first_pending = f.path;
                    break;
                case RestoreItem::Current::as_after:
                    ++run.done;
                    if (run.first_done.empty()) run.first_done = f.path;
                    break;
                case RestoreItem::Current::changed:
                    ++run.other;
                    if (run.first_pending.empty()) run.first_pending = f.path;
                    break;
            }
        }
        // Half done: something changed, and not everything is as planned.
        if (run.done + run.other > 0 && run.done < run.files) return run;
        return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace mspo
