// The small value parsers of the pogen spec (durations, times, --damage
// options) and the sample spec.
#include <charconv>

#include "mspo/base/error.hpp"
#include "mspo/pogen/damage.hpp"
#include "mspo/pogen/spec.hpp"

namespace mspo::pogen {

std::optional<std::int64_t> parse_duration(std::string_view text) {
    if (text.empty()) return std::nullopt;
    std::int64_t unit = 1;
    switch (text.back()) {
        case 's':
            unit = 1;
            break;
        case 'm':
            unit = 60;
            break;
        case 'h':
            unit = 3600;
            break;
        case 'd':
            unit = 86400;
            break;
        case 'w':
            unit = 7 * 86400;
            break;
        default:
            unit = 0;
    }
    if (unit != 0)
        text.remove_suffix(1);
    else
        unit = 1;
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty() || v < 0) return std::nullopt;
    if (v > (std::int64_t{1} << 40) / unit) return std::nullopt;
    return v * unit;
}

namespace {
// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, unsigned& out) {
    if (pos + n > s.size()) return false;
    auto [end, ec] = std::from_chars(s.data() + pos, s.data() + pos + n, out);
    return ec == std::errc{} && end == s.data() + pos + n;
}
}  // namespace

std::optional<std::int64_t> parse_time(std::string_view text) {
    if (text.size() == 20 && text[4] == '-' && text[7] == '-' && text[10] == 'T' && text[13] == ':' &&
        text[16] == ':' && text[19] == 'Z') {
        unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
        if (!digits(text, 0, 4, y) || !digits(text, 5, 2, mo) || !digits(text, 8, 2, d) ||
            !digits(text, 11, 2, h) || !digits(text, 14, 2, mi) || !digits(text, 17, 2, s))
            return std::nullopt;
        if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return std::nullopt;
        return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
    }
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty() || v < 0) return std::nullopt;
    return v;
}

DamageSpec parse_damage_option(std::string_view text) {
    DamageSpec d;
    const auto colon = text.find(':');
    d.kind = std::string(text.substr(0, colon));
    if (!is_damage_kind(d.kind)) throw Error(Errc::usage, "unknown damage kind '" + d.kind + "'");
    if (colon != std::string_view::npos) {
        std::string_view rest = text.substr(colon + 1);
        while (!rest.empty()) {
            const auto comma = rest.find(',');
            d.args.emplace_back(rest.substr(0, comma));
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
        }
    }
    return d;
}

std::string_view sample_spec_text() {
    return R"(# pogen's sample postoffice: a bit of everything, and no damage.
seed 1
user ADMIN "Administrator" mail=2 pal=3
user ALICE "Alice Smith" mail=3 freed=2 pal=2
user BOB "Bob Jones" mail=1
user CAROL "Carol White"
user DAVE "Dave Brown" deleted
user ERIN "Erin Green" mail=1
group STAFF ALICE BOB CAROL ERIN
group ADMINS ADMIN
message ALICE BOB CAROL ERIN "Staff meeting on Monday"
message ADMIN ALICE BOB "Welcome to the postoffice"
external NET1/PO2 users=3 mail=2
external NET1/PO3 users=2
external NET2/HQ users=1 mail=1
p1 00000200.P1 age=3d
p1 00000201.P1 age=2m
queued 00000202 age=10m
lock 00000001.0LK age=2d
lock LOCKP1ID.PBB age=5d
)";
}

}  // namespace mspo::pogen
