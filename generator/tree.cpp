#include <chrono>
#include <fstream>
#include <system_error>

#include "mspo/base/error.hpp"
#include "mspo/base/platform.hpp"
#include "mspo/pogen/tree.hpp"
#include "mspo/base/os.hpp"

namespace mspo::pogen {

namespace fs = std::filesystem;

TreeFile& Tree::at(const std::string& relpath) {
    auto it = files.find(relpath);
    if (it == files.end()) throw Error(Errc::not_found, "pogen: no such file in the tree", relpath);
    return it->second;
}

const TreeFile& Tree::at(const std::string& relpath) const {
    auto it = files.find(relpath);
    if (it == files.end()) throw Error(Errc::not_found, "pogen: no such file in the tree", relpath);
    return it->second;
}

namespace {

fs::file_time_type to_file_time(std::int64_t seconds) {
    const auto sys = std::chrono::system_clock::time_point{std::chrono::seconds{seconds}};
    return std::chrono::file_clock::from_sys(sys);
}

void make_dir(const fs::path& p) {
    std::error_code ec;
    fs::create_directories(p, ec);
    if (ec) throw Error(Errc::io, "cannot create folder: " + ec.message(), p);
}

// Every path checked before anything is written: inside OUTDIR, and none
// below a FIFO or a link (writing there would go through the link).
void check_paths(const Tree& tree) {
    for (const auto& d : tree.dirs) require_inside(d);
    for (const auto& [rel, f] : tree.files) {
        require_inside(rel);
        if (f.kind == TreeFile::Kind::regular) continue;
        const std::string below = rel + "/";
        const auto under = [&](const std::string& p) { return p.compare(0, below.size(), below) == 0; };
        for (const auto& d : tree.dirs)
            if (d == rel || under(d))
                throw Error(Errc::usage, "pogen: a folder lies at or below a link or FIFO", d);
        for (const auto& [other, g] : tree.files)
            if (under(other)) throw Error(Errc::usage, "pogen: a file lies below a link or FIFO", other);
    }
}

}  // namespace

bool is_safe_file_name(std::string_view name) noexcept {
    constexpr std::string_view kSeparators("/\\\0", 3);  // '/', '\\' and NUL
    return !name.empty() && name != "." && name != ".." &&
           name.find_first_of(kSeparators) == std::string_view::npos;
}

bool is_inside_path(std::string_view relpath) noexcept {
    std::size_t start = 0;
    while (true) {
        const std::size_t slash = relpath.find('/', start);
        if (!is_safe_file_name(relpath.substr(start, slash - start))) return false;
        if (slash == std::string_view::npos) return true;
        start = slash + 1;
    }
}

void require_inside(const std::string& relpath) {
    if (!is_inside_path(relpath)) throw Error(Errc::usage, "pogen: path leaves OUTDIR: " + relpath);
}

void write_tree(const Tree& tree, const fs::path& outdir) {
    check_paths(tree);
    std::error_code ec;
    if (fs::exists(fs::symlink_status(outdir, ec))) {
        if (!fs::is_directory(fs::symlink_status(outdir, ec)))
            throw Error(Errc::usage, "output path exists and is not a folder", outdir);
        if (!fs::is_empty(outdir, ec) || ec) throw Error(Errc::usage, "output folder is not empty", outdir);
    }
    make_dir(outdir);
    for (const auto& d : tree.dirs) make_dir(os::join(outdir, d));
    for (const auto& [rel, f] : tree.files) {
        if (f.kind != TreeFile::Kind::regular) continue;  // made last, below
        const fs::path p = os::join(outdir, rel);
        make_dir(p.parent_path());
        {
            std::ofstream out(p, std::ios::binary | std::ios::trunc);
            out.write(reinterpret_cast<const char*>(f.data.data()),
                      static_cast<std::streamsize>(f.data.size()));
            out.close();
            if (!out) throw Error(Errc::io, "cannot write file", p);
        }
        fs::last_write_time(p, to_file_time(f.mtime), ec);
        if (ec) throw Error(Errc::io, "cannot set the file time: " + ec.message(), p);
        if (f.read_only) {
            fs::permissions(p, fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write,
                            fs::perm_options::remove, ec);
            if (ec) throw Error(Errc::io, "cannot make the file read-only: " + ec.message(), p);
        }
    }
    for (const auto& [rel, f] : tree.files) {
        const fs::path p = os::join(outdir, rel);
        make_dir(p.parent_path());
        if (f.kind == TreeFile::Kind::fifo) {
            platform::make_fifo(p);
            fs::last_write_time(p, to_file_time(f.mtime), ec);  // a FIFO is not a link: nothing is followed
            if (ec) throw Error(Errc::io, "cannot set the FIFO's time: " + ec.message(), p);
        } else if (f.kind == TreeFile::Kind::symlink) {
            fs::create_symlink(f.target, p, ec);  // no time set: that would follow the link
            if (ec) throw Error(Errc::io, "cannot create the link: " + ec.message(), p);
        }
    }
}

namespace {
struct Fnv {
    std::uint64_t h = 0xcbf29ce484222325ull;
    void add(const void* data, std::size_t n) {
        const auto* b = static_cast<const unsigned char*>(data);
        for (std::size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 0x100000001b3ull;
    }
    void add_str(const std::string& s) {
        const std::uint64_t n = s.size();
        add(&n, sizeof n);
        add(s.data(), s.size());
    }
};
}  // namespace

std::string tree_digest(const Tree& tree) {
    Fnv f;
    for (const auto& d : tree.dirs) f.add_str("D" + d);
    for (const auto& [rel, file] : tree.files) {
        f.add_str("F" + rel);
        if (file.kind == TreeFile::Kind::fifo) f.add_str("fifo");
        if (file.kind == TreeFile::Kind::symlink) f.add_str("symlink " + file.target);
        f.add(&file.mtime, sizeof file.mtime);
        const char ro = file.read_only ? 1 : 0;
        f.add(&ro, 1);
        const std::uint64_t n = file.data.size();
        f.add(&n, sizeof n);
        f.add(file.data.data(), file.data.size());
    }
    static const char* hex = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, f.h >>= 4) out[static_cast<std::size_t>(i)] = hex[f.h & 15];
    return out;
}

}  // namespace mspo::pogen
