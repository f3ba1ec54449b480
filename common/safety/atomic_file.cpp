#include "mspo/safety/atomic_file.hpp"

#include <atomic>

#include "mspo/base/error.hpp"

namespace mspo::atomic {

namespace {

constexpr std::string_view kTempMarker = ".mspo-tmp.";

void call(const StepHook& hook, std::string_view step) {
    if (hook) hook(step);
}

std::string next_temp_name(const std::string& name) {
    static std::atomic<unsigned> counter{0};
    return name + std::string(kTempMarker) + std::to_string(platform::current_pid()) + "." +
           std::to_string(counter.fetch_add(1));
}

/// The existing target must be a regular file or absent; returns its info.
platform::FileInfo check_target(const SafeDir& dir, const std::string& name, const fs::path& shown) {
    auto info = platform::stat_at(dir.handle(), name, shown);
    if (info.type == platform::EntryType::symlink)
        throw Error(Errc::unsafe_path, "is a symbolic link; not changed", shown);
    if (info.type != platform::EntryType::regular && info.type != platform::EntryType::missing)
        throw Error(Errc::unsafe_path, "not a regular file; not changed", shown);
    return info;
}

}  // namespace

std::vector<std::string> split_relpath(std::string_view relpath) {
    if (relpath.empty()) throw Error(Errc::unsafe_path, "empty path");
    if (relpath.front() == '/') throw Error(Errc::unsafe_path, "absolute path refused", std::string(relpath));
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= relpath.size()) {
        std::size_t end = relpath.find('/', start);
        if (end == std::string_view::npos) end = relpath.size();
        std::string part(relpath.substr(start, end - start));
        if (part.empty() || part == "." || part == ".." ||
            part.find_first_of(std::string("\\\0", 2)) != std::string::npos)
            throw Error(Errc::unsafe_path, "unsafe path component '" + part + "'", std::string(relpath));
        parts.push_back(std::move(part));
        start = end + 1;
    }
    return parts;
}

std::pair<std::string, std::string> split_parent(std::string_view relpath) {
    split_relpath(relpath);  // validates
    auto slash = relpath.rfind('/');
    if (slash == std::string_view::npos) return {"", std::string(relpath)};
    return {std::string(relpath.substr(0, slash)), std::string(relpath.substr(slash + 1))};
}

SafeDir SafeDir::open(const fs::path& root, std::string_view reldir) {
    auto handle = platform::open_dir(root, /*follow_links=*/true);
    fs::path path = root;
    if (reldir.empty()) return SafeDir(std::move(handle), path);
    for (const auto& part : split_relpath(reldir)) {
        path /= part;
        handle = platform::open_dir_at(handle, part, path);
    }
    return SafeDir(std::move(handle), path);
}

void replace_file(const fs::path& root, std::string_view relpath, ByteSpan contents,
                  const WriteOptions& options) {
    auto [reldir, name] = split_parent(relpath);
    auto dir = SafeDir::open(root, reldir);
    const fs::path shown = dir.path() / name;
    auto existing = check_target(dir, name, shown);

    const std::string temp = next_temp_name(name);
    const fs::path temp_shown = dir.path() / temp;
    bool temp_exists = false;
    try {
        call(options.hook, "write-temp");
        auto file = platform::create_exclusive_at(dir.handle(), temp, 0600, temp_shown);
        temp_exists = true;
        platform::write_all(file, contents, temp_shown);
        if (existing.type == platform::EntryType::regular) {
            platform::copy_owner_mode(file, existing, temp_shown);
        } else {
            platform::FileInfo fresh;
            fresh.mode = options.mode;
            fresh.uid = platform::stat_handle(file, temp_shown).uid;
            fresh.gid = platform::stat_handle(file, temp_shown).gid;
            platform::copy_owner_mode(file, fresh, temp_shown);
        }
        if (options.mtime_ns) platform::set_mtime(file, *options.mtime_ns, temp_shown);
        platform::fsync_handle(file, temp_shown);
        file.close(temp_shown);
        // The target may have been swapped for a link since we looked: renameat
        // replaces a link itself (never its target), and we check once more.
        check_target(dir, name, shown);
        call(options.hook, "rename");
        platform::rename_at(dir.handle(), temp, name, shown);
        temp_exists = false;
    } catch (...) {
        if (temp_exists) {
            try {
                platform::unlink_at(dir.handle(), temp, temp_shown);
            } catch (...) {  // the original error matters more
            }
        }
        throw;
    }
    call(options.hook, "fsync-dir");
    platform::fsync_handle(dir.handle(), dir.path());
}

const SafeDir& DirCache::get(const std::string& reldir) {
    auto it = dirs_.find(reldir);
    if (it == dirs_.end()) it = dirs_.emplace(reldir, SafeDir::open(root_, reldir)).first;
    return it->second;
}

void remove_file(const fs::path& root, std::string_view relpath, const StepHook& hook, bool sync_dir) {
    auto [reldir, name] = split_parent(relpath);
    remove_file_in(SafeDir::open(root, reldir), name, hook, sync_dir);
}

void remove_file_in(const SafeDir& dir, const std::string& name, const StepHook& hook, bool sync_dir) {
    const fs::path shown = dir.path() / name;
    auto info = check_target(dir, name, shown);
    if (info.type == platform::EntryType::missing) throw Error(Errc::not_found, "not found", shown);
    call(hook, "remove");
    platform::unlink_at(dir.handle(), name, shown);
    if (!sync_dir) return;
    call(hook, "fsync-dir");
    platform::fsync_handle(dir.handle(), dir.path());
}

void sync_folder(const fs::path& root, std::string_view reldir) {
    auto dir = SafeDir::open(root, reldir);
    platform::fsync_handle(dir.handle(), dir.path());
}

void rename_file(const fs::path& root, std::string_view from, std::string_view to, const StepHook& hook) {
    auto [from_dir, from_name] = split_parent(from);
    auto [to_dir, to_name] = split_parent(to);
    if (from_dir != to_dir)
        throw Error(Errc::usage, "rename across folders is not supported", std::string(from));
    auto dir = SafeDir::open(root, from_dir);
    auto info = check_target(dir, from_name, dir.path() / from_name);
    if (info.type == platform::EntryType::missing)
        throw Error(Errc::not_found, "not found", dir.path() / from_name);
    check_target(dir, to_name, dir.path() / to_name);
    call(hook, "rename");
    platform::rename_at(dir.handle(), from_name, to_name, dir.path() / from_name);
    call(hook, "fsync-dir");
    platform::fsync_handle(dir.handle(), dir.path());
}

bool is_temp_name(std::string_view name) noexcept { return name.find(kTempMarker) != std::string_view::npos; }

std::vector<std::string> remove_stale_temps(const fs::path& root, std::string_view reldir) {
    auto dir = SafeDir::open(root, reldir);
    std::vector<std::string> removed;
    for (const auto& name : platform::list_dir(dir.handle(), dir.path())) {
        if (!is_temp_name(name)) continue;
        auto info = platform::stat_at(dir.handle(), name, dir.path() / name);
        if (info.type != platform::EntryType::regular) continue;
        platform::unlink_at(dir.handle(), name, dir.path() / name);
        removed.push_back(name);
    }
    if (!removed.empty()) platform::fsync_handle(dir.handle(), dir.path());
    return removed;
}

}  // namespace mspo::atomic
