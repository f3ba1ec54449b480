#include "mai_counters.hpp"

#include <algorithm>

#include "mspo/base/bytes.hpp"
#include "mspo/base/error.hpp"
#include "mspo/base/os.hpp"
#include "mspo/format/mai.hpp"

namespace mspo::checks_detail {

MaiCounters::Folder& MaiCounters::folder(unsigned digit) {
    Folder& f = folders_[digit];
    if (f.ready) return f;
    f.ready = true;
    const std::string rel = std::string("MAI/MA") + "0123456789ABCDEF"[digit];
    f.path = po_.path_for(rel);
    std::vector<platform::DirEntry> entries;
    try {
        f.handle = platform::open_dir(f.path, true);
        entries = platform::list_dir_typed(f.handle, f.path);
    } catch (const Error&) {
        f.handle = platform::Handle();  // missing or unreadable: every MAI of it is missing
        return f;
    }
    for (auto& e : entries) {
        const auto n = file_number(e.name, "MAI");
        if (n && e.type == platform::EntryType::regular && (*n & 15u) == digit &&
            e.name == format_hex8(*n) + ".MAI") {
            f.mais.push_back(*n);
            continue;
        }
        std::string up = to_upper(e.name);
        const bool exact = e.name == up;
        auto [it, fresh] = f.others.emplace(std::move(up), e.name);
        if (!fresh && exact) it->second = std::move(e.name);  // exact upper case wins
    }
    std::sort(f.mais.begin(), f.mais.end());
    f.mais.shrink_to_fit();
    return f;
}

std::optional<std::uint16_t> MaiCounters::by_path(const std::filesystem::path& path) const {
    const auto info = platform::stat_nofollow(path);
    if (info.type == platform::EntryType::missing) return 0;
    if (info.type != platform::EntryType::regular || info.size < kMaiMinSize) return std::nullopt;
    try {
        return read_mai_refcount(path);
    } catch (const Error& e) {
        if (e.code() == Errc::interrupted) throw;
        return std::nullopt;
    }
}

std::optional<std::uint16_t> MaiCounters::operator()(std::uint32_t n) {
    const auto& memo = po_.mai_refcount_memo();
    if (const auto known = memo.find(n); known != memo.end()) return known->second;
    Folder& f = folder(n & 15u);
    std::string name = format_hex8(n);
    name += ".MAI";
    if (std::binary_search(f.mais.begin(), f.mais.end(), n)) {
        std::array<std::uint8_t, kMaiMinSize> head{};
        try {
            if (platform::read_start_at(f.handle, name, head.data(), head.size(), f.path) < kMaiMinSize)
                return std::nullopt;
        } catch (const Error& e) {
            if (e.code() == Errc::interrupted) throw;
            if (e.code() == Errc::not_found) return 0;  // erased since the listing
            return std::nullopt;
        }
        return get_refcount(head);
    }
    const auto it = f.others.find(name);
    if (it == f.others.end()) return 0;
    return by_path(os::join(f.path, it->second));
}

}  // namespace mspo::checks_detail
