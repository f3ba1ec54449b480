#include "mspo/safety/lock.hpp"

#include <ctime>

#include "mspo/base/error.hpp"
#include "mspo/base/platform.hpp"
#include "mspo/base/time.hpp"
#include "mspo/safety/atomic_file.hpp"

namespace mspo {

namespace {

std::string read_text(const platform::Handle& h, const fs::path& shown) {
    std::string text;
    std::uint8_t buf[512];
    while (text.size() < 4096) {
        std::size_t n = platform::read_some(h, buf, sizeof buf, shown);
        if (n == 0) break;
        text.append(reinterpret_cast<const char*>(buf), n);
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == '\0')) text.pop_back();
    return text;
}

constexpr std::string_view kForceHint = "; use --force to override";

}  // namespace

std::optional<std::string> lock_holder_host(std::string_view text) {
    constexpr std::string_view from = " on host ", to = ", tool ";
    const auto a = text.find(from);
    if (a == std::string_view::npos) return std::nullopt;
    const auto b = text.find(to, a + from.size());
    if (b == std::string_view::npos) return std::nullopt;
    return std::string(text.substr(a + from.size(), b - a - from.size()));
}

std::optional<std::string> foreign_lock_refusal(std::string_view text) {
    const auto host = lock_holder_host(text);
    if (!host || *host == platform::host_name()) return std::nullopt;
    return "the toolkit lock names a fixer on another host (" + std::string(text) +
           "); whether it still runs cannot be seen from this host";
}

fs::path toolkit_lock_path(const fs::path& postoffice_root) {
    std::error_code ec;
    fs::path canon = fs::canonical(postoffice_root, ec);
    if (ec)
        throw Error(Errc::not_found, "cannot resolve the postoffice path (" + ec.message() + ")",
                    postoffice_root);
    if (!canon.has_parent_path() || canon == canon.root_path())
        throw Error(Errc::usage, "the postoffice cannot be a file-system root", canon);
    canon += ".mspo.lock";  // (an ASCII suffix: no narrow conversion of the name)
    return canon;
}

struct ToolkitLock::Held {
    platform::Handle handle;
};

ToolkitLock::ToolkitLock(const fs::path& postoffice_root, std::string_view tool, bool force)
    : path_(toolkit_lock_path(postoffice_root)) {
    for (int attempt = 0; attempt < 10; ++attempt) {
        auto h = platform::open_rw_create(path_, 0644);
        if (!platform::try_lock_exclusive(h, path_)) {
            std::string holder = read_text(h, path_);
            if (holder.empty()) holder = "another process (no details yet)";
            const std::string what = "postoffice in use by another toolkit fixer (" + holder + ")";
            if (!force) throw Error(Errc::in_use, what + std::string(kForceHint), path_);
            overridden_ = what + ", run without the toolkit lock";
            return;
        }
        if (!platform::same_inode(h, path_)) continue;  // lost a race with a releasing holder
        std::string old = read_text(h, path_);
        if (const auto foreign = foreign_lock_refusal(old)) {
            if (!force) throw Error(Errc::in_use, *foreign + std::string(kForceHint), path_);
            overridden_ = *foreign + ", taken over";
        }
        if (!old.empty()) stale_ = old;
        std::string text = "pid " + std::to_string(platform::current_pid()) + " on host " +
                           platform::host_name() + ", tool " + std::string(tool) + ", since " +
                           utc_now_text() + ", run " + atomic::run_token() + "\n";
        platform::truncate(h, 0, path_);
        platform::write_all(h, ByteSpan(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()),
                            path_);
        platform::fsync_handle(h, path_);
        held_ = std::make_unique<Held>(Held{std::move(h)});
        return;
    }
    const std::string what = "the toolkit lock keeps changing; another fixer is starting";
    if (!force) throw Error(Errc::in_use, what + std::string(kForceHint), path_);
    overridden_ = what + "; run without the toolkit lock";
}

ToolkitLock::~ToolkitLock() {
    // Unlink first, then close (which drops the lock): a process that opened
    // the old file and then gets its lock sees it is no longer at path_.
    std::error_code ec;
    if (held_ && held_->handle.valid() && platform::same_inode(held_->handle, path_)) fs::remove(path_, ec);
}

std::optional<std::string> probe_stale_toolkit_lock(const fs::path& postoffice_root) {
    const fs::path path = toolkit_lock_path(postoffice_root);
    platform::Handle h;
    try {
        h = platform::open_read(path);
    } catch (const Error& e) {
        if (e.code() == Errc::not_found) return std::nullopt;
        throw;
    }
    if (platform::probe_lock(h, path)) return std::nullopt;  // held: a live fixer
    std::string text = read_text(h, path);
    if (text.empty()) return std::nullopt;  // being created right now
    return text;
}

bool is_external_lock_name(std::string_view name) noexcept {
    std::string up = to_upper(name);
    if (up.size() > 4 && up.ends_with(".0LK")) return true;
    return up.size() == 12 && up.starts_with("LOCKP1ID.P");
}

std::vector<ExternalLock> scan_external_locks(const Postoffice& po, std::chrono::seconds freshness,
                                              std::optional<std::int64_t> now_ns) {
    std::vector<ExternalLock> found;
    auto p1 = po.find("P1");
    if (!p1) return found;
    const std::int64_t now = now_ns ? *now_ns : mspo::now_ns();
    const std::int64_t window = static_cast<std::int64_t>(freshness.count()) * kNsPerSecond;
    auto dir = platform::open_dir(*p1, false);
    for (const auto& name : platform::list_dir(dir, *p1, is_external_lock_name)) {
        auto info = platform::stat_at(dir, name, *p1 / name);
        if (info.type == platform::EntryType::missing) continue;  // removed meanwhile
        ExternalLock lock;
        lock.relpath = po.relative(*p1 / name);
        lock.mtime_ns = info.mtime_ns;
        lock.fresh = info.mtime_ns > now - window;  // a future mtime counts as fresh
        found.push_back(std::move(lock));
    }
    return found;
}

std::optional<std::string> probe_file_lock(const fs::path& path) {
    platform::Handle h;
    try {
        h = platform::open_read(path);
    } catch (const Error& e) {
        if (e.code() == Errc::not_found) return std::nullopt;
        throw;
    }
    return platform::probe_lock(h, path);
}

}  // namespace mspo
