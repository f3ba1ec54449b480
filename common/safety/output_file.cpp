#include "mspo/safety/output_file.hpp"

#include <system_error>

#include "mspo/base/error.hpp"
#include "mspo/base/platform.hpp"
#include "mspo/safety/atomic_file.hpp"

namespace mspo {

bool path_inside(const fs::path& root, const fs::path& path) {
    std::error_code ec;
    const fs::path r = fs::weakly_canonical(root, ec);
    if (ec) return false;
    const fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
    if (ec) return false;
    auto ri = r.begin(), pi = p.begin();
    for (; ri != r.end() && !ri->empty(); ++ri, ++pi)
        if (pi == p.end() || *ri != *pi) return false;
    return true;
}

void check_new_file(const fs::path& postoffice_root, const fs::path& path) {
    if (path.filename().empty()) throw Error(Errc::usage, "not a file name", path);
    if (path_inside(postoffice_root, path))
        throw Error(Errc::unsafe_path, "is inside the postoffice; nothing changed", path);
    if (platform::stat_nofollow(path).type != platform::EntryType::missing)
        throw Error(Errc::changed, "already exists (never overwritten); nothing changed", path);
}

NewFile write_new_file(const fs::path& postoffice_root, const fs::path& path, ByteSpan contents) {
    check_new_file(postoffice_root, path);
    NewFile made{path, {}};
    const fs::path folder = fs::absolute(path).parent_path();
    made.made_folders = atomic::missing_folders(folder);
    try {
        platform::make_dirs(folder);
        atomic::replace_file(folder, path.filename().string(), contents);
    } catch (...) {
        remove_new_file(NewFile{{}, made.made_folders});
        throw;
    }
    return made;
}

void remove_new_file(const NewFile& file) noexcept {
    std::error_code ec;
    if (!file.path.empty()) fs::remove(file.path, ec);
    for (const auto& dir : file.made_folders) fs::remove(dir, ec);  // only if empty
}

void check_output_file(const fs::path& postoffice_root, const fs::path& path) {
    if (path.filename().empty()) throw Error(Errc::usage, "not a file name", path);
    if (path_inside(postoffice_root, path))
        throw Error(Errc::unsafe_path, "is inside the postoffice; nothing changed", path);
    const auto type = platform::stat_nofollow(path).type;
    if (type != platform::EntryType::missing && type != platform::EntryType::regular)
        throw Error(Errc::unsafe_path,
                    "is not a regular file (a folder, link, FIFO or device); nothing changed", path);
}

void replace_output_file(const fs::path& postoffice_root, const fs::path& path, ByteSpan contents) {
    check_output_file(postoffice_root, path);
    const fs::path folder = fs::absolute(path).parent_path();
    atomic::replace_file(folder, path.filename().string(), contents);
}

}  // namespace mspo
