#include "dropped_headers.hpp"

#include <unordered_map>

#include "mai_counters.hpp"
#include "mspo/base/error.hpp"
#include "mspo/base/interrupt.hpp"
#include "mspo/base/platform.hpp"
#include "mspo/format/key.hpp"
#include "mspo/format/mai.hpp"
#include "mspo/format/mbg.hpp"
#include "mspo/base/os.hpp"

namespace mspo::checks_detail {

namespace {

bool has_ext(const std::string& upper, std::string_view ext) {
    return upper.size() > ext.size() && upper.compare(upper.size() - ext.size(), ext.size(), ext) == 0;
}

// Live headers naming each of the MAIs in `refs` (which holds the wanted keys).
void count_live(const Postoffice& po, std::unordered_map<std::uint32_t, std::uint64_t>& refs) {
    for (const auto& [upper, name] : po.list("MBG")) {
        if (!has_ext(upper, ".MBG")) continue;
        const auto path = os::join(po.path_for("MBG"), name);
        if (platform::stat_nofollow(path).type != platform::EntryType::regular) continue;
        std::optional<KeyFile> key;
        if (const auto kp = po.find("KEY/" + upper.substr(0, upper.size() - 4) + ".KEY")) {
            const auto info = platform::stat_nofollow(*kp);
            if (info.type == platform::EntryType::regular && info.size == KeyFile::size) key = read_key(*kp);
        }
        MbgReader reader(path);
        while (auto item = reader.next()) {
            if (item->index % 4096 == 0) throw_if_interrupted();
            if (key && item->index < kMailbagLimit &&
                key->slot_deleted(static_cast<std::size_t>(item->index)))
                continue;
            const auto mai = item->record.mai();
            if (!mai) continue;
            if (auto it = refs.find(*mai); it != refs.end()) ++it->second;
        }
    }
}

}  // namespace

std::vector<NeededDrop> find_needed_drops(const Postoffice& po, const std::vector<DroppedSlots>& drops) {
    std::unordered_map<std::uint32_t, std::uint64_t> refs;
    for (const auto& d : drops)
        for (const std::uint32_t m : d.mais) refs.emplace(m, 0);
    std::vector<NeededDrop> out;
    if (refs.empty()) return out;
    count_live(po, refs);
    std::unordered_map<std::uint32_t, std::optional<std::uint16_t>> counters;
    MaiCounters counter_of(po);
    for (const auto& d : drops) {
        NeededDrop n;
        n.relpath = d.relpath;
        n.dropped = d.mais.size();
        for (const std::uint32_t m : d.mais) {
            auto it = counters.find(m);
            if (it == counters.end()) it = counters.emplace(m, counter_of(m)).first;
            if (!it->second || *it->second <= refs[m]) continue;
            if (n.needed++ == 0) {
                n.mai = m;
                n.counter = *it->second;
                n.live = refs[m];
            }
        }
        if (n.needed) out.push_back(std::move(n));
    }
    return out;
}

}  // namespace mspo::checks_detail
