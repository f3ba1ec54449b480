#include "mspo/safety/atomic_file.hpp"

#include <atomic>
#include <chrono>
#include <random>

#include "mspo/base/crc32.hpp"
#include "mspo/base/error.hpp"
#include "mspo/base/os.hpp"

namespace mspo::atomic {

namespace {

constexpr std::string_view kTempMarker = ".mspo-tmp.";
constexpr std::size_t kTokenLength = 16;
constexpr std::size_t kWriteChunk = 256 * 1024;  // streamed writes are gathered into pieces of this size

void call(const StepHook& hook, std::string_view step) {
    if (hook) hook(step, 0);
}

bool is_token(std::string_view s) noexcept {
    if (s.size() != kTokenLength) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

std::string draw_token() {
    std::uint64_t value = 0;
    try {
        std::random_device rd;
        value = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
    } catch (const std::exception&) {  // no entropy source: time and pid still differ per run
        value = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    }
    value ^= static_cast<std::uint64_t>(platform::current_pid()) << 40;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string token(kTokenLength, '0');
    for (std::size_t i = 0; i < kTokenLength; ++i)
        token[i] = kHex[(value >> (4 * (kTokenLength - 1 - i))) & 0xF];
    return token;
}

std::string next_temp_name(const std::string& name) {
    static std::atomic<unsigned> counter{0};
    return name + std::string(kTempMarker) + run_token() + "." + std::to_string(counter.fetch_add(1));
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

/// Gives `h` (a file or folder just made) the owner and mode of `base`,
/// overridden by the options.
void give_owner_mode(const platform::Handle& h, platform::FileInfo base, const WriteOptions& options,
                     const fs::path& shown) {
    if (options.mode) base.mode = *options.mode & 0777;
    if (options.uid) base.uid = *options.uid;
    if (options.gid) base.gid = *options.gid;
    platform::copy_owner_mode(h, base, shown);
}

/// Writes what `source` yields to `file`, gathered into large pieces;
/// returns the size and CRC-32 written. Stops with Error{changed} (naming
/// `target`) as soon as more than expected->size bytes come.
ExpectedContents stream_into(const platform::Handle& file, const ContentWriter& source,
                             const std::optional<ExpectedContents>& expected, const fs::path& shown,
                             const fs::path& target) {
    ExpectedContents got;
    Crc32 crc;
    Bytes pending;
    auto flush = [&] {
        platform::write_all(file, pending, shown);
        pending.clear();
    };
    source([&](ByteSpan piece) {
        if (expected && piece.size() > expected->size - got.size)
            throw Error(Errc::changed, "new contents are longer than planned", target);
        got.size += piece.size();
        crc.update(piece);
        if (pending.size() + piece.size() > kWriteChunk) {
            if (!pending.empty()) flush();
            if (piece.size() >= kWriteChunk) {
                platform::write_all(file, piece, shown);
                return;
            }
        }
        if (pending.capacity() < kWriteChunk) pending.reserve(kWriteChunk);
        pending.insert(pending.end(), piece.begin(), piece.end());
    });
    if (!pending.empty()) flush();
    got.crc32 = crc.value();
    return got;
}

}  // namespace

const std::string& run_token() {
    static const std::string token = draw_token();
    return token;
}

std::optional<std::string> run_token_of(std::string_view text) {
    constexpr std::string_view key = ", run ";
    const auto at = text.rfind(key);
    if (at == std::string_view::npos) return std::nullopt;
    auto token = text.substr(at + key.size(), kTokenLength);
    if (!is_token(token)) return std::nullopt;
    auto rest = text.substr(at + key.size() + token.size());
    if (!rest.empty() && rest != "\n") return std::nullopt;
    return std::string(token);
}

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
        path = os::join(path, part);
        handle = platform::open_dir_at(handle, part, path);
    }
    return SafeDir(std::move(handle), path);
}

PreparedFile prepare_file_in(const SafeDir& dir, const std::string& name, const ContentWriter& source,
                             const std::optional<ExpectedContents>& expected, const WriteOptions& options,
                             bool sync) {
    const fs::path shown = os::join(dir.path(), name);
    auto existing = check_target(dir, name, shown);

    PreparedFile prepared{name, next_temp_name(name)};
    const fs::path temp_shown = os::join(dir.path(), prepared.temp);
    bool temp_exists = false;
    try {
        call(options.hook, "write-temp");
        auto file = platform::create_exclusive_at(dir.handle(), prepared.temp, 0600, temp_shown);
        temp_exists = true;
        const ExpectedContents got = stream_into(file, source, expected, temp_shown, shown);
        if (expected && (got.size != expected->size || got.crc32 != expected->crc32))
            throw Error(Errc::changed,
                        "new contents differ from those planned (" + std::to_string(got.size) +
                            " bytes, CRC-32 " + std::to_string(got.crc32) + "; planned " +
                            std::to_string(expected->size) + " bytes, CRC-32 " +
                            std::to_string(expected->crc32) + ")",
                        shown);
        platform::FileInfo base = existing;
        if (existing.type != platform::EntryType::regular) {  // new file: ours, 0644
            base = platform::stat_handle(file, temp_shown);
            base.mode = 0644;
        }
        give_owner_mode(file, base, options, temp_shown);
        if (options.mtime_ns) platform::set_mtime(file, *options.mtime_ns, temp_shown);
        if (sync) platform::fsync_handle(file, temp_shown);
        file.close(temp_shown);
    } catch (...) {
        if (temp_exists) discard_prepared_in(dir, prepared);
        throw;
    }
    return prepared;
}

void commit_prepared_in(const SafeDir& dir, const PreparedFile& prepared, const StepHook& hook) {
    const fs::path shown = os::join(dir.path(), prepared.name);
    try {
        // The target may have been swapped for a link since we looked: renameat
        // replaces a link itself (never its target), and we check once more.
        check_target(dir, prepared.name, shown);
        call(hook, "rename");
        platform::rename_at(dir.handle(), prepared.temp, prepared.name, shown);
    } catch (...) {
        discard_prepared_in(dir, prepared);
        throw;
    }
}

void discard_prepared_in(const SafeDir& dir, const PreparedFile& prepared) noexcept {
    try {
        platform::unlink_at(dir.handle(), prepared.temp, os::join(dir.path(), prepared.temp));
    } catch (...) {  // the original error matters more
    }
}

void replace_file_in(const SafeDir& dir, const std::string& name, const ContentWriter& source,
                     const std::optional<ExpectedContents>& expected, const WriteOptions& options) {
    const PreparedFile prepared = prepare_file_in(dir, name, source, expected, options, true);
    commit_prepared_in(dir, prepared, options.hook);
    call(options.hook, "fsync-dir");
    platform::fsync_handle(dir.handle(), dir.path());
}

void replace_file(const fs::path& root, std::string_view relpath, ByteSpan contents,
                  const WriteOptions& options) {
    auto [reldir, name] = split_parent(relpath);
    replace_file_in(
        SafeDir::open(root, reldir), name, [contents](const auto& sink) { sink(contents); }, std::nullopt,
        options);
}

void replace_file_from(const fs::path& root, std::string_view relpath, const ContentWriter& source,
                       const ExpectedContents& expected, const WriteOptions& options) {
    auto [reldir, name] = split_parent(relpath);
    replace_file_in(SafeDir::open(root, reldir), name, source, expected, options);
}

void make_dir_in(const SafeDir& dir, const std::string& name, const WriteOptions& options) {
    const fs::path shown = os::join(dir.path(), name);
    call(options.hook, "make-dir");
    platform::make_dir_at(dir.handle(), name, 0700, shown);  // nobody else's until its mode is set
    auto made = platform::open_dir_at(dir.handle(), name, shown);
    auto base = platform::stat_handle(made, shown);
    base.mode = 0755;
    give_owner_mode(made, base, options, shown);
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
    const fs::path shown = os::join(dir.path(), name);
    auto info = check_target(dir, name, shown);
    if (info.type == platform::EntryType::missing) throw Error(Errc::not_found, "not found", shown);
    call(hook, "remove");
    platform::unlink_at(dir.handle(), name, shown);
    if (!sync_dir) return;
    call(hook, "fsync-dir");
    platform::fsync_handle(dir.handle(), dir.path());
}

void remove_checked_file_in(const SafeDir& dir, const std::string& name, const StepHook& hook) {
    call(hook, "remove");
    platform::unlink_at(dir.handle(), name, os::join(dir.path(), name));
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
    auto info = check_target(dir, from_name, os::join(dir.path(), from_name));
    if (info.type == platform::EntryType::missing)
        throw Error(Errc::not_found, "not found", os::join(dir.path(), from_name));
    check_target(dir, to_name, os::join(dir.path(), to_name));
    call(hook, "rename");
    platform::rename_at(dir.handle(), from_name, to_name, os::join(dir.path(), from_name));
    call(hook, "fsync-dir");
    platform::fsync_handle(dir.handle(), dir.path());
}

bool is_temp_name(std::string_view name) noexcept { return name.find(kTempMarker) != std::string_view::npos; }

std::optional<std::string> temp_token(std::string_view name) {
    const auto at = name.rfind(kTempMarker);
    if (at == std::string_view::npos || at == 0) return std::nullopt;
    auto rest = name.substr(at + kTempMarker.size());
    if (rest.size() < kTokenLength + 2 || rest[kTokenLength] != '.') return std::nullopt;
    auto token = rest.substr(0, kTokenLength);
    auto number = rest.substr(kTokenLength + 1);
    if (!is_token(token) || number.size() > 10) return std::nullopt;
    for (char c : number)
        if (c < '0' || c > '9') return std::nullopt;
    return std::string(token);
}

std::vector<std::string> find_run_temps(const SafeDir& dir, std::string_view token) {
    std::vector<std::string> found;
    if (!is_token(token)) return found;
    for (auto& name : platform::list_dir(dir.handle(), dir.path())) {
        auto t = temp_token(name);
        if (!t || *t != token) continue;
        if (platform::stat_at(dir.handle(), name, os::join(dir.path(), name)).type !=
            platform::EntryType::regular)
            continue;
        found.push_back(std::move(name));
    }
    return found;
}

std::vector<std::string> remove_stale_temps(const fs::path& root, std::string_view reldir,
                                            std::string_view token) {
    auto dir = SafeDir::open(root, reldir);
    auto names = find_run_temps(dir, token);
    for (const auto& name : names) platform::unlink_at(dir.handle(), name, os::join(dir.path(), name));
    if (!names.empty()) platform::fsync_handle(dir.handle(), dir.path());
    return names;
}

std::vector<fs::path> missing_folders(const fs::path& dir) {
    std::vector<fs::path> missing;
    std::error_code ec;
    for (fs::path p = fs::absolute(dir, ec); !p.empty() && p != p.parent_path(); p = p.parent_path()) {
        if (fs::symlink_status(p, ec).type() != fs::file_type::not_found) break;
        missing.push_back(p);
    }
    return missing;
}

}  // namespace mspo::atomic
