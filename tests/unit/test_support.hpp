// Helpers shared by the unit tests: temporary folders, whole-file byte and
// text I/O, seeded random bytes, the code of a thrown mspo::Error. Test code
// only; a helper that cannot do its job throws instead of failing silently.
#pragma once

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <unistd.h>
#include <utility>

#include "mspo/base/bytes.hpp"
#include "mspo/base/error.hpp"
#include "mspo/base/platform.hpp"

namespace mspo::test {

/// A path <temp>/mspo-<tag>-<pid>-<n> that no other call in this process returns and
/// nothing stands at; not created. (Wine reuses process ids at once: a folder an earlier
/// run could not remove must not be taken for this one's.)
inline std::filesystem::path unique_temp_path(std::string_view tag) {
    static std::atomic<unsigned> counter{0};
    for (;;) {
        auto p =
            std::filesystem::temp_directory_path() /
            ("mspo-" + std::string(tag) + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::error_code ec;
        if (!std::filesystem::exists(std::filesystem::symlink_status(p, ec))) return p;
    }
}

/// `ns` as a file's modification time holds it: Windows file times count 100 ns
/// (a time set to the nanosecond reads back cut to the 100 ns); POSIX keeps every ns.
inline std::int64_t file_time_ns(std::int64_t ns) {
#if defined(_WIN32)
    return ns - ((ns % 100) + 100) % 100;
#else
    return ns;
#endif
}

/// What platform::probe_lock() says of a byte-range lock another handle holds.
#if defined(_WIN32)
inline constexpr std::string_view kHeldLockText = "byte-range lock (LockFileEx)";
#else
inline constexpr std::string_view kHeldLockText = "write lock";
#endif

/// Renames `from` to `to`, a name that may differ from it in case only: through a
/// temporary name, since a case-insensitive file system (wine's) may take a case-only
/// rename for no change at all.
inline void rename_case(const std::filesystem::path& from, const std::filesystem::path& to) {
    auto tmp = from;
    tmp += ".mspo-test-rename";
    std::filesystem::rename(from, tmp);
    std::filesystem::rename(tmp, to);
}

/// Removes `path` and everything below it, read-only files too (Windows refuses to
/// delete a read-only file; POSIX asks only the folder). Never follows a link.
/// Returns false if something could not be removed.
inline bool remove_tree(const std::filesystem::path& path) noexcept {
    namespace fs = std::filesystem;
    std::error_code ec;
#if defined(_WIN32)
    for (auto it = fs::recursive_directory_iterator(path, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        std::error_code ignored;
        if (it->is_regular_file(ignored))
            fs::permissions(it->path(), fs::perms::owner_write, fs::perm_options::add, ignored);
    }
    std::error_code ignored;
    if (fs::is_regular_file(fs::symlink_status(path, ignored)))
        fs::permissions(path, fs::perms::owner_write, fs::perm_options::add, ignored);
    ec.clear();
#endif
    fs::remove_all(path, ec);
    return !ec;
}

/// A fresh empty folder at unique_temp_path(tag); removed with its contents on destruction.
struct TempDir {
    std::filesystem::path path;
    explicit TempDir(std::string_view tag) : path(unique_temp_path(tag)) {
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() { remove_tree(path); }
};

/// A TempDir holding a postoffice folder po() = path/<name> with `subdirs`; snaps() = path/<name>.snapshots,
/// not created.
struct TempPoDir : TempDir {
    TempPoDir(std::string_view tag, std::initializer_list<std::string_view> subdirs,
              std::string_view name = "PO")
        : TempDir(tag), name_(name) {
        std::filesystem::create_directories(po());
        for (auto d : subdirs) std::filesystem::create_directories(po() / d);
    }
    std::filesystem::path po() const { return path / name_; }
    std::filesystem::path snaps() const { return path / (name_ + ".snapshots"); }

private:
    std::string name_;
};

/// Writes `b` as the whole of `p` (its folder must exist); throws std::runtime_error if it cannot.
inline void write_bytes(const std::filesystem::path& p, const Bytes& b) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    out.close();
    if (!out) throw std::runtime_error("test_support: cannot write " + p.string());
}

/// The whole contents of `p`; throws std::runtime_error if it cannot be opened or read.
inline Bytes read_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw std::runtime_error("test_support: cannot open " + p.string());
    Bytes b{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) throw std::runtime_error("test_support: cannot read " + p.string());
    return b;
}

/// The bytes of `s`, one per char.
inline Bytes to_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

/// write_bytes for text.
inline void write_text(const std::filesystem::path& p, std::string_view s) { write_bytes(p, to_bytes(s)); }

/// read_bytes as text.
inline std::string read_text(const std::filesystem::path& p) {
    const Bytes b = read_bytes(p);
    return std::string(b.begin(), b.end());
}

/// `n` bytes, each uniform in 0..255 from std::mt19937(seed); the same for the same (n, seed).
inline Bytes random_bytes(std::size_t n, std::uint32_t seed) {
    std::mt19937 gen(seed);
    std::uniform_int_distribution<int> dist(0, 255);
    Bytes b(n);
    for (auto& x : b) x = static_cast<std::uint8_t>(dist(gen));
    return b;
}

/// The code of the mspo::Error that `f` throws; fails the test case if it throws none.
inline Errc code_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) { return e.code(); }
    FAIL("no mspo::Error thrown");
    return Errc::io;
}

/// Relative path -> (contents, mtime_ns) of every regular file below a folder.
using FileTree = std::map<std::string, std::pair<std::string, std::int64_t>>;

/// The FileTree of `root`, read with platform::read_file (so a link throws mspo::Error).
inline FileTree file_tree(const std::filesystem::path& root) {
    FileTree t;
    for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
        if (!e.is_regular_file()) continue;
        const Bytes data = platform::read_file(e.path(), std::uint64_t{1} << 30);
        t[std::filesystem::relative(e.path(), root).generic_string()] = {
            std::string(data.begin(), data.end()), platform::stat_nofollow(e.path()).mtime_ns};
    }
    return t;
}

}  // namespace mspo::test
