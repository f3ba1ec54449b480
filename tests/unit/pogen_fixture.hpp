// Test-only helpers around pogen: build a postoffice from a spec (with
// damage), write it to a unique temporary folder, run checks on it.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mspo/checks/check.hpp"
#include "mspo/pogen/builder.hpp"
#include "small_spec.hpp"
#include "test_support.hpp"

namespace pogen_fixture {

namespace fs = std::filesystem;
using mspo::test::read_bytes;
using mspo::test::write_bytes;

/// A postoffice written under the system temp folder; removed on destruction.
class TempPostoffice {
public:
    explicit TempPostoffice(const mspo::pogen::Tree& tree) : root_(unique_path()) {
        mspo::pogen::write_tree(tree, root_);
    }
    explicit TempPostoffice(std::string_view spec, std::vector<std::string> damages = {},
                            mspo::pogen::BuildOptions options = {})
        : TempPostoffice(build(spec, std::move(damages), std::move(options))) {}
    TempPostoffice(const TempPostoffice&) = delete;
    TempPostoffice& operator=(const TempPostoffice&) = delete;
    ~TempPostoffice() { mspo::test::remove_tree(root_); }

    const fs::path& root() const { return root_; }
    mspo::Postoffice po() const { return mspo::Postoffice(root_); }
    fs::path path(const std::string& rel) const { return root_ / rel; }

    static mspo::pogen::Tree build(std::string_view spec, std::vector<std::string> damages,
                                   mspo::pogen::BuildOptions options = {}) {
        for (const auto& d : damages) options.damages.push_back(mspo::pogen::parse_damage_option(d));
        return mspo::pogen::build(mspo::pogen::parse_spec(spec, "test"), options);
    }

    static fs::path unique_path() { return mspo::test::unique_temp_path("pogen"); }

private:
    fs::path root_;
};

/// The four things that can stand where a file belongs (issue 8 item 19).
inline const std::vector<std::string>& not_regular_kinds() {
    static const std::vector<std::string> kinds = {"folder", "fifo", "symlink-out", "dangling"};
    return kinds;
}

/// Replaces the file at `path` (if any) with `kind`: a folder, a FIFO, a
/// symbolic link out of the postoffice (to /dev/null) or a dangling link.
inline void make_not_regular(const fs::path& path, const std::string& kind) {
    fs::remove(path);
    if (kind == "folder")
        fs::create_directory(path);
    else if (kind == "fifo")
        mspo::platform::make_fifo(path);
    else if (kind == "symlink-out")
        fs::create_symlink("/dev/null", path);
    else if (kind == "dangling")
        fs::create_symlink("NO-SUCH-FILE", path);
    else
        throw std::invalid_argument("make_not_regular: " + kind);
}

/// The findings of one check id.
inline mspo::Findings only(const mspo::Findings& findings, std::string_view id) {
    mspo::Findings out;
    for (const auto& f : findings)
        if (f.check == id) out.push_back(f);
    return out;
}

/// The distinct check ids among `findings`.
inline std::set<std::string> ids(const mspo::Findings& findings) {
    std::set<std::string> out;
    for (const auto& f : findings) out.emplace(f.check);
    return out;
}

}  // namespace pogen_fixture
