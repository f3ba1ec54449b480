#include "mspo/pogen/spec.hpp"

#include <charconv>
#include <set>

#include "mspo/base/bytes.hpp"
#include "mspo/base/error.hpp"
#include "mspo/base/platform.hpp"
#include "mspo/format/key.hpp"
#include "mspo/format/layout.hpp"
#include "mspo/pogen/damage.hpp"

namespace mspo::pogen {

namespace {

struct Token {
    std::string text;
    bool quoted = false;
};

class LineError {
public:
    explicit LineError(std::string what) : what_(std::move(what)) {}
    const std::string& what() const { return what_; }

private:
    std::string what_;
};

std::vector<Token> tokenize(std::string_view line) {
    std::vector<Token> out;
    std::size_t i = 0;
    while (i < line.size()) {
        const char c = line[i];
        if (c == ' ' || c == '\t' || c == '\r') {
            ++i;
            continue;
        }
        if (c == '#') break;
        Token t;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') {
            if (line[i] == '"') {
                const std::size_t close = line.find('"', i + 1);
                if (close == std::string_view::npos) throw LineError("unterminated quoted text");
                t.text.append(line.substr(i + 1, close - i - 1));
                t.quoted = true;
                i = close + 1;
            } else {
                t.text.push_back(line[i++]);
            }
        }
        out.push_back(std::move(t));
    }
    return out;
}

std::uint32_t parse_count(std::string_view key, std::string_view text) {
    std::uint32_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty())
        throw LineError(std::string(key) + " needs a whole number, not '" + std::string(text) + "'");
    return v;
}

bool is_alnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

std::string mailbox_name(std::string_view what, const Token& t) {
    if (t.text.empty() || t.text.size() > 10)
        throw LineError(std::string(what) + " '" + t.text + "' must be 1 to 10 characters");
    for (char c : t.text)
        if (!is_alnum(c))
            throw LineError(std::string(what) + " '" + t.text + "' may hold only letters and digits");
    return to_upper(t.text);
}

std::string printable(std::string_view what, const std::string& text, std::size_t max) {
    if (text.size() > max)
        throw LineError(std::string(what) + " '" + text + "' is over " + std::to_string(max) + " characters");
    for (char c : text)
        if (c < 0x20 || c > 0x7E) throw LineError(std::string(what) + " must be printable ASCII");
    return text;
}

std::string dos_name(const Token& t) {
    const std::string up = to_upper(t.text);
    const auto dot = up.find('.');
    const std::string stem = up.substr(0, dot);
    const std::string ext = dot == std::string::npos ? "" : up.substr(dot + 1);
    bool ok = !stem.empty() && stem.size() <= 8 && ext.size() <= 3;
    for (char c : stem + ext) ok = ok && (is_alnum(c) || c == '_' || c == '$' || c == '-');
    if (!ok) throw LineError("'" + t.text + "' is not an 8.3 file name");
    return up;
}

// Splits key=value options off the tokens after the keyword; positional tokens stay.
struct Args {
    std::vector<Token> positional;
    std::vector<std::pair<std::string, std::string>> options;
    std::set<std::string> used;

    Args(const std::vector<Token>& toks, std::size_t first) {
        for (std::size_t i = first; i < toks.size(); ++i) {
            const auto eq = toks[i].text.find('=');
            if (!toks[i].quoted && eq != std::string::npos && eq > 0)
                options.emplace_back(toks[i].text.substr(0, eq), toks[i].text.substr(eq + 1));
            else
                positional.push_back(toks[i]);
        }
    }
    std::optional<std::string> take(const std::string& key) {
        std::optional<std::string> found;
        for (const auto& [k, v] : options)
            if (k == key) {
                if (found) throw LineError("option " + key + "= given twice");
                found = v;
            }
        if (found) used.insert(key);
        return found;
    }
    std::uint32_t count(const std::string& key) {
        auto v = take(key);
        return v ? parse_count(key, *v) : 0;
    }
    std::int64_t age() {
        auto v = take("age");
        if (!v) return 0;
        auto d = parse_duration(*v);
        if (!d) throw LineError("age '" + *v + "' is not a duration like 90s, 5m, 3h, 2d");
        return *d;
    }
    void done() const {
        for (const auto& [k, v] : options)
            if (!used.count(k)) throw LineError("unknown option " + k + "=");
    }
};

FreedAt freed_at(const std::string& text) {
    if (text == "alternate") return FreedAt::alternate;
    if (text == "end") return FreedAt::end;
    if (text == "spread") return FreedAt::spread;
    if (text == "start") return FreedAt::start;
    throw LineError("freed-at must be alternate, end, spread or start, not '" + text + "'");
}

constexpr std::uint32_t kMaxP1Size = 16u << 20;  // `size=` of one P1 file
constexpr std::uint32_t kMaxP1Many = 1000000;    // `p1-many` files

struct Parser {
    Spec spec;
    std::set<std::string> accounts;

    void line(const std::vector<Token>& t, int lineno) {
        const std::string& kw = t[0].text;
        Args a(t, 1);
        auto need = [&](std::size_t n, const char* usage) {
            if (a.positional.size() < n) throw LineError(std::string("usage: ") + usage);
        };
        if (kw == "seed" || kw == "users") {
            need(1, "seed N | users N");
            if (a.positional.size() > 1) throw LineError(kw + " takes one number");
            if (kw == "seed")
                spec.seed = parse_count("seed", a.positional[0].text);
            else
                spec.users = parse_count("users", a.positional[0].text);
        } else if (kw == "now") {
            need(1, "now EPOCH-SECONDS|YYYY-MM-DDTHH:MM:SSZ");
            spec.now = parse_time(a.positional[0].text);
            if (!spec.now) throw LineError("bad time '" + a.positional[0].text + "'");
        } else if (kw == "user") {
            user(a, lineno);
        } else if (kw == "group") {
            need(1, "group NAME MEMBER...");
            GroupSpec g{printable("group name", to_upper(a.positional[0].text), 30), {}, lineno};
            for (std::size_t i = 1; i < a.positional.size(); ++i) {
                std::string m = mailbox_name("member", a.positional[i]);
                if (!accounts.count(m)) throw LineError("group member " + m + " is not a user above");
                g.members.push_back(std::move(m));
            }
            spec.groups.push_back(std::move(g));
        } else if (kw == "external") {
            need(1, "external NET/PO [users=N] [mail=N]");
            const std::string& np = a.positional[0].text;
            const auto slash = np.find('/');
            if (slash == std::string::npos || a.positional.size() > 1)
                throw LineError("usage: external NET/PO [users=N] [mail=N]");
            ExternalSpec e;
            e.network = mailbox_name("network", Token{np.substr(0, slash), false});
            e.postoffice = mailbox_name("postoffice", Token{np.substr(slash + 1), false});
            e.users = a.count("users");
            e.mail = a.count("mail");
            e.line = lineno;
            spec.externals.push_back(std::move(e));
        } else if (kw == "message") {
            message(a, lineno);
        } else if (kw == "p1" || kw == "lock" || kw == "queued") {
            p1_file(kw, a, lineno);
        } else if (kw == "p1-many") {
            p1_many(a, lineno);
        } else if (kw == "damage") {
            need(1, "damage KIND [ARG...]");
            DamageSpec d{a.positional[0].text, {}, lineno};
            if (!is_damage_kind(d.kind)) throw LineError("unknown damage kind '" + d.kind + "'");
            for (std::size_t i = 1; i < a.positional.size(); ++i) d.args.push_back(a.positional[i].text);
            for (const auto& [k, v] : a.options) d.args.push_back(k + "=" + v);
            spec.damages.push_back(std::move(d));
            return;
        } else {
            throw LineError("unknown keyword '" + kw + "'");
        }
        a.done();
    }

    void user(Args& a, int lineno) {
        if (a.positional.empty())
            throw LineError(
                "usage: user NAME [\"Full Name\"] [mail=N] [freed=N] [freed-at=alternate|end|spread|start] "
                "[pal=N] [deleted]");
        UserSpec u;
        u.name = mailbox_name("mailbox name", a.positional[0]);
        for (std::size_t i = 1; i < a.positional.size(); ++i) {
            const Token& t = a.positional[i];
            if (t.quoted && u.full_name.empty())
                u.full_name = printable("full name", t.text, 30);
            else if (!t.quoted && t.text == "deleted")
                u.deleted = true;
            else
                throw LineError("unexpected '" + t.text + "'");
        }
        if (u.full_name.empty()) u.full_name = u.name;
        u.mail = a.count("mail");
        u.freed = a.count("freed");
        u.pal = a.count("pal");
        if (auto at = a.take("freed-at")) u.freed_at = freed_at(*at);
        if (u.mail + static_cast<std::uint64_t>(u.freed) > kMaxMailbagSlots)
            throw LineError("mail + freed is over " + std::to_string(kMaxMailbagSlots));
        if (u.freed > kMailbagLimit)
            throw LineError("freed=" + std::to_string(u.freed) +
                            " is over 4096: freed slots lie below slot 4096, "
                            "the last one with a KEY bit");
        u.line = lineno;
        if (!accounts.insert(u.name).second) throw LineError("user " + u.name + " is defined twice");
        spec.accounts.push_back(std::move(u));
    }

    // p1 NAME [age=D] [size=N] | lock NAME [age=D] [size=N] | queued 8HEX [age=D] [size=N] [freed]
    void p1_file(const std::string& kw, Args& a, int lineno) {
        if (a.positional.empty())
            throw LineError("usage: p1|lock NAME [age=D] [size=N] | queued 8HEX [age=D] [size=N] [freed]");
        P1Spec p;
        p.kind = kw == "p1"     ? P1Spec::Kind::envelope
                 : kw == "lock" ? P1Spec::Kind::lock
                                : P1Spec::Kind::queued;
        p.name = dos_name(a.positional[0]);
        if (p.kind == P1Spec::Kind::queued && !is_hex8(p.name))
            throw LineError("queued takes an 8-hex file number, not '" + p.name + "'");
        for (std::size_t i = 1; i < a.positional.size(); ++i) {
            if (p.kind == P1Spec::Kind::queued && !a.positional[i].quoted && a.positional[i].text == "freed")
                p.freed = true;
            else
                throw LineError(kw + " takes one file name, not also '" + a.positional[i].text + "'");
        }
        p.age_s = a.age();
        if (auto size = a.take("size")) {
            p.size = parse_count("size", *size);
            if (*p.size > kMaxP1Size)
                throw LineError("size is over " + std::to_string(kMaxP1Size) + " bytes");
        }
        p.line = lineno;
        spec.p1.push_back(std::move(p));
    }

    // p1-many COUNT [age=D] [fresh=D]: envelopes 00000000.P1 upwards, 64 + n % 200 bytes each;
    // the even-numbered ones age old (default 3d), the odd-numbered fresh old (default 1h).
    void p1_many(Args& a, int lineno) {
        if (a.positional.size() != 1) throw LineError("usage: p1-many COUNT [age=D] [fresh=D]");
        const std::uint32_t count = parse_count("p1-many", a.positional[0].text);
        if (count > kMaxP1Many) throw LineError("p1-many is over " + std::to_string(kMaxP1Many) + " files");
        const auto duration = [&](const char* key, std::int64_t def) {
            auto v = a.take(key);
            if (!v) return def;
            auto d = parse_duration(*v);
            if (!d)
                throw LineError(std::string(key) + " '" + *v + "' is not a duration like 90s, 5m, 3h, 2d");
            return *d;
        };
        const std::int64_t stale = duration("age", 3 * 86400);
        const std::int64_t fresh = duration("fresh", 3600);
        for (std::uint32_t n = 0; n < count; ++n) {
            P1Spec p;
            p.name = format_hex8(n) + ".P1";
            p.age_s = n % 2 == 0 ? stale : fresh;
            p.size = 64 + n % 200;
            p.line = lineno;
            spec.p1.push_back(std::move(p));
        }
    }

    void message(Args& a, int lineno) {
        MessageSpec m;
        m.line = lineno;
        for (const auto& t : a.positional) {
            if (t.quoted) {
                m.subject = printable("subject", t.text, 40);
                continue;
            }
            std::string n = mailbox_name("mailbox name", t);
            if (!accounts.count(n)) throw LineError("message names " + n + ", not a user above");
            if (m.from.empty())
                m.from = std::move(n);
            else
                m.to.push_back(std::move(n));
        }
        if (m.to.empty()) throw LineError("usage: message FROM TO... [\"subject\"]");
        spec.messages.push_back(std::move(m));
    }
};

}  // namespace

Spec parse_spec(std::string_view text, const std::string& source) {
    Parser p;
    int lineno = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos) nl = text.size();
        ++lineno;
        try {
            auto toks = tokenize(text.substr(pos, nl - pos));
            if (!toks.empty()) p.line(toks, lineno);
        } catch (const LineError& e) {
            throw Error(Errc::usage, source + ":" + std::to_string(lineno) + ": " + e.what());
        }
        pos = nl + 1;
    }
    return std::move(p.spec);
}

Spec load_spec_file(const std::filesystem::path& file) {
    const Bytes text = platform::read_file(file, 16u << 20);
    return parse_spec(std::string(text.begin(), text.end()), file.string());
}

}  // namespace mspo::pogen
