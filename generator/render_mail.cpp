#include <algorithm>

#include "mspo/format/key.hpp"
#include "mspo/format/layout.hpp"
#include "mspo/format/mai.hpp"
#include "mspo/format/mbg.hpp"
#include "mspo/pogen/builder.hpp"

namespace mspo::pogen {

namespace {

// Civil date of a day count since 1970-01-01 (H. Hinnant's algorithm).
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
}

MbgDate mbg_date(std::int64_t t) {
    const std::int64_t days = (t >= 0 ? t : t - 86399) / 86400;
    const std::int64_t secs = t - days * 86400;
    std::int64_t y = 0;
    unsigned mo = 0, d = 0;
    civil_from_days(days, y, mo, d);
    MbgDate out;
    out.minute = static_cast<std::uint16_t>(secs / 60 % 60);
    out.hour = static_cast<std::uint16_t>(secs / 3600);
    out.day = static_cast<std::uint16_t>(d);
    out.month = static_cast<std::uint16_t>(mo);
    out.year = static_cast<std::uint16_t>(y);
    return out;
}

MbgRecord header_record(const Header& h) {
    MbgRecord r;
    r.set_sender(h.from);
    r.set_subject(h.subject);
    r.set_date(mbg_date(h.time));
    r.set_mai(h.mai);
    return r;
}

Bytes noise(std::uint64_t seed, std::size_t min, std::size_t spread) {
    Rng rng(seed);
    Bytes out(min + rng.below(static_cast<std::uint32_t>(spread)));
    for (auto& b : out) b = static_cast<std::uint8_t>(rng.next() >> 56);
    return out;
}

std::uint64_t mix(std::uint64_t seed, std::uint64_t salt) {
    return Rng(seed ^ (salt * 0x9E3779B97F4A7C15ull)).next();
}

}  // namespace

Bytes make_mai(std::uint64_t seed, std::uint32_t number, std::uint16_t refs) {
    Bytes mai = noise(mix(seed, number), 64, 192);
    set_refcount(mai, refs);
    return mai;
}

void render_mail(const Model& m, Tree& tree) {
    const std::int64_t mtime = m.now - 3600;
    for (const auto& [stem, bag] : m.mailbags) {
        // Not MbgWriter: a spec may ask for a mailbag past the 4096-slot limit
        // (slots past 4095 have no KEY bit, so they are live).
        Bytes mbg;
        mbg.reserve(bag.slots.size() * MbgRecord::size);
        KeyFile key;
        std::size_t live = 0;
        for (std::size_t i = 0; i < bag.slots.size(); ++i) {
            const MbgRecord r = header_record(bag.slots[i].header);
            mbg.insert(mbg.end(), r.raw.begin(), r.raw.end());
            if (bag.slots[i].freed)
                key.set_slot_deleted(i, true);  // plan() keeps freed slots below kMailbagLimit
            else
                ++live;
        }
        key.set_unread(static_cast<std::uint16_t>(std::min<std::size_t>(live, 0xFFFF)));
        tree.files["MBG/" + stem + ".MBG"] = TreeFile{std::move(mbg), mtime, false};
        tree.files["KEY/" + stem + ".KEY"] = TreeFile{key.to_bytes(), mtime, false};
    }
    for (const auto& [number, refs] : m.mai_refs)
        tree.files[mai_relpath(number)] = TreeFile{make_mai(m.seed, number, refs), mtime, false};
    tree.files["P1/POPULATE.MSM"] = TreeFile{{}, m.now - 365 * 86400, true};
    for (const auto& p : m.p1) {
        const bool queued = p.kind == P1Spec::Kind::queued;
        const std::string name = queued ? p.name + ".P1" : p.name;
        std::uint64_t salt = 0xcbf29ce484222325ull;  // FNV-1a: the same on every platform
        for (char c : name) salt = (salt ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
        Bytes data = p.size                         ? noise(mix(m.seed, salt), *p.size, 1)
                     : p.kind == P1Spec::Kind::lock ? noise(mix(m.seed, salt), 8, 8)
                                                    : noise(mix(m.seed, salt), 96, 160);
        tree.files["P1/" + name] = TreeFile{std::move(data), m.now - p.age_s, false};
    }
}

}  // namespace mspo::pogen
