#include <chrono>
#include <fstream>
#include <system_error>

#include "mspo/base/error.hpp"
#include "mspo/pogen/tree.hpp"

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

}  // namespace

void write_tree(const Tree& tree, const fs::path& outdir) {
    std::error_code ec;
    if (fs::exists(fs::symlink_status(outdir, ec))) {
        if (!fs::is_directory(fs::symlink_status(outdir, ec)))
            throw Error(Errc::usage, "output path exists and is not a folder", outdir);
        if (!fs::is_empty(outdir, ec) || ec) throw Error(Errc::usage, "output folder is not empty", outdir);
    }
    make_dir(outdir);
    for (const auto& d : tree.dirs) make_dir(outdir / d);
    for (const auto& [rel, f] : tree.files) {
        const fs::path p = outdir / rel;
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
