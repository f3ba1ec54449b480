// key.model-mismatch: the live headers naming each MAI under eight readings
// of the KEY bitmap, weighed against the MAI reference counters (KB Q104423,
// Q77926, Q119088). The rule and its thresholds: docs/FORMATS.md.
#include "mspo/checks/key_model.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

#include "mai_counters.hpp"
#include "mspo/base/error.hpp"
#include "mspo/base/interrupt.hpp"
#include "mspo/base/os.hpp"
#include "mspo/base/platform.hpp"
#include "mspo/format/mai.hpp"
#include "mspo/format/mbg.hpp"

namespace mspo {

namespace {

constexpr std::size_t kReadings = kKeyReadings.size();
static_assert(kReadings == 8, "one bit of a std::uint8_t mask per reading");
constexpr std::uint8_t kAllLive = 0xFF;
// Enough evidence: our model must be right for at least this many MAIs where
// a reading differs, and at least this many times as often as the reading.
constexpr std::uint64_t kMinAgree = 3;
constexpr std::uint64_t kMinRatio = 4;
// Headers reserved for up front at most (32 MiB; the list grows past it if
// need be): a huge sparse MBG of zeros names no MAI and adds no entry.
constexpr std::uint64_t kMaxReserve = std::uint64_t{1} << 22;

// One header: the MAI it names, and bit r set if it is live under reading r.
struct Ref {
    std::uint32_t mai;
    std::uint8_t live;
};
static_assert(sizeof(Ref) <= 8);

// How a reading fares on the MAIs where it and our model predict differently.
struct Tally {
    std::uint64_t differ = 0, model = 0, other = 0;
};

bool is_mbg(const std::string& upper) {
    return upper.size() > 4 && upper.compare(upper.size() - 4, 4, ".MBG") == 0;
}

// The live mask of each of the first `slots` slots (the mailbag's records a
// KEY has a bit for); all live without a usable KEY.
std::array<std::uint8_t, kMailbagLimit> slot_masks(const Postoffice& po, const std::string& stem,
                                                   std::uint64_t records) {
    std::array<std::uint8_t, kMailbagLimit> masks;
    masks.fill(kAllLive);
    const auto p = po.find("KEY/" + stem + ".KEY");
    if (!p) return masks;
    const auto info = platform::stat_nofollow(*p);
    if (info.type != platform::EntryType::regular || info.size != KeyFile::size) return masks;
    const KeyFile key = read_key(*p);
    const std::size_t slots = static_cast<std::size_t>(std::min<std::uint64_t>(records, kMailbagLimit));
    for (std::size_t s = 0; s < slots; ++s) {
        std::uint8_t m = 0;
        for (std::size_t r = 0; r < kReadings; ++r)
            if (!key.slot_deleted_as(s, kKeyReadings[r])) m = static_cast<std::uint8_t>(m | (1u << r));
        masks[s] = m;
    }
    return masks;
}

void scan_mailbag(const Postoffice& po, const std::string& name, KeyModelFit& fit, std::vector<Ref>& refs) {
    const std::string upper = to_upper(name);
    const auto path = os::join(po.path_for("MBG"), name);
    if (platform::stat_nofollow(path).type != platform::EntryType::regular) return;  // never opened
    MbgReader reader(path);
    const auto masks = slot_masks(po, upper.substr(0, upper.size() - 4), reader.record_count());
    ++fit.mailbags;
    while (auto item = reader.next()) {
        if (++fit.headers % 4096 == 0) throw_if_interrupted();
        const auto mai = item->record.mai();
        if (!mai) continue;
        const std::uint8_t live = item->index < kMailbagLimit ? masks[item->index] : kAllLive;
        refs.push_back(Ref{*mai, live});
    }
}

// MBG record counts from the sizes, to reserve the header list once.
std::uint64_t expected_headers(const Postoffice& po) {
    std::uint64_t total = 0;
    for (const auto& [upper, name] : po.list("MBG")) {
        if (!is_mbg(upper)) continue;
        const auto info = platform::stat_nofollow(os::join(po.path_for("MBG"), name));
        if (info.type == platform::EntryType::regular) total += info.size / MbgRecord::size;
    }
    return std::min(total, kMaxReserve);
}

bool supports_model(const Tally& t) { return t.model >= kMinAgree && t.model >= kMinRatio * t.other; }

std::string figures(const KeyModelFit& fit) {
    std::string text;
    if (fit.decisive == 0) {
        text = fit.mais == 0
                   ? "no mailbag header names a MAI whose counter can be read, so nothing tells our "
                     "KEY model from the other readings"
                   : "MAI counters cannot tell our KEY model from the other readings: they predict "
                     "the same counter for all " +
                         std::to_string(fit.mais) + " messages";
    } else {
        const std::string rival(key_reading_name(fit.rival));
        text = "MAI counters agree with our KEY model for " + std::to_string(fit.model_agrees) + " of " +
               std::to_string(fit.decisive) + " messages where it and " + rival + " differ, with " + rival +
               " for " + std::to_string(fit.rival_agrees);
    }
    if (fit.skipped)
        text += " (" + std::to_string(fit.skipped) + " MAI" + (fit.skipped == 1 ? "" : "s") +
                " not judged: not a regular file, too short or unreadable)";
    return text;
}

}  // namespace

const char* key_model_verdict_name(KeyModelFit::Verdict v) noexcept {
    switch (v) {
        case KeyModelFit::Verdict::supported:
            return "supported";
        case KeyModelFit::Verdict::inconclusive:
            return "inconclusive";
        case KeyModelFit::Verdict::contradicted:
            return "contradicted";
    }
    return "?";
}

KeyModelFit test_key_model(const Postoffice& po) {
    KeyModelFit fit;
    std::vector<Ref> refs;
    refs.reserve(static_cast<std::size_t>(expected_headers(po)));
    for (const auto& [upper, name] : po.list("MBG"))
        if (is_mbg(upper)) scan_mailbag(po, name, fit, refs);
    throw_if_interrupted();
    std::sort(refs.begin(), refs.end(), [](const Ref& a, const Ref& b) { return a.mai < b.mai; });

    std::array<Tally, kReadings> tally{};
    std::uint64_t groups = 0;
    checks_detail::MaiCounters counter_of(po);  // each MAI is asked once: refs are grouped
    for (std::size_t i = 0; i < refs.size();) {
        if (++groups % 4096 == 0) throw_if_interrupted();
        const std::uint32_t mai = refs[i].mai;
        std::array<std::uint64_t, kReadings> live{};
        for (; i < refs.size() && refs[i].mai == mai; ++i)
            for (std::size_t r = 0; r < kReadings; ++r)
                if (refs[i].live & (1u << r)) ++live[r];
        const auto counter = counter_of(mai);
        if (!counter) {
            ++fit.skipped;
            continue;
        }
        ++fit.mais;
        for (std::size_t r = 1; r < kReadings; ++r) {
            if (live[r] == live[0]) continue;
            ++tally[r].differ;
            if (*counter == live[0]) ++tally[r].model;
            if (*counter == live[r]) ++tally[r].other;
        }
    }

    // The rival: a contradicting reading (the one that beats our model by
    // most), else the closest one, failing the support rule first.
    std::optional<std::size_t> contra, closest;
    bool any = false, all_support = true;
    for (std::size_t r = 1; r < kReadings; ++r) {
        const Tally& t = tally[r];
        if (t.differ == 0) continue;
        any = true;
        all_support = all_support && supports_model(t);
        if (t.other > 0 && t.other >= t.model) {
            const auto lead = [&](std::size_t x) { return tally[x].other - tally[x].model; };
            if (!contra || lead(r) > lead(*contra) ||
                (lead(r) == lead(*contra) && t.other > tally[*contra].other))
                contra = r;
        }
        if (!closest) {
            closest = r;
            continue;
        }
        const Tally& c = tally[*closest];
        const bool r_fails = !supports_model(t), c_fails = !supports_model(c);
        // Margins as signed values: a reading may agree more often than our model.
        const auto margin = [](const Tally& x) {
            return static_cast<std::int64_t>(x.model) - static_cast<std::int64_t>(x.other);
        };
        if (r_fails != c_fails) {
            if (r_fails) closest = r;
        } else if (margin(t) < margin(c) || (margin(t) == margin(c) && t.other > c.other)) {
            closest = r;
        }
    }
    const std::optional<std::size_t> rival = contra ? contra : closest;
    if (rival) {
        fit.rival = kKeyReadings[*rival];
        fit.decisive = tally[*rival].differ;
        fit.model_agrees = tally[*rival].model;
        fit.rival_agrees = tally[*rival].other;
    }
    fit.verdict = contra               ? KeyModelFit::Verdict::contradicted
                  : any && all_support ? KeyModelFit::Verdict::supported
                                       : KeyModelFit::Verdict::inconclusive;
    fit.text = figures(fit);
    return fit;
}

Findings check_key_model(const Postoffice& /*po*/, const KeyModelFit& fit) {
    Findings out;
    if (fit.verdict == KeyModelFit::Verdict::contradicted)
        out.push_back(make_finding(CheckId::key_model_mismatch, "KEY",
                                   "the MAI reference counters contradict our KEY model: " + fit.text));
    return out;
}

Findings check_key_model(const Postoffice& po) { return check_key_model(po, test_key_model(po)); }

}  // namespace mspo
