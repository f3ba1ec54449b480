#include <algorithm>
#include <optional>
#include <set>

#include "mspo/base/bytes.hpp"
#include "mspo/base/error.hpp"
#include "mspo/format/key.hpp"
#include "mspo/pogen/model.hpp"

namespace mspo::pogen {

std::uint64_t Rng::next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

namespace {

constexpr const char* kFirst[] = {"Alice", "Bob",  "Carol", "Dave",  "Erin",    "Frank", "Grace", "Heidi",
                                  "Ivan",  "Judy", "Karl",  "Laura", "Mallory", "Nina",  "Oscar", "Peggy"};
constexpr const char* kLast[] = {"Smith",  "Jones", "Brown",  "Taylor", "Wilson", "Davies", "Evans", "Thomas",
                                 "Walker", "White", "Hughes", "Green",  "Hall",   "Wood",   "Clark", "Lewis"};
constexpr const char* kSubjects[] = {
    "Budget review", "Lunch on Friday", "Minutes of the meeting", "Re: printer",    "Quarterly report",
    "Holiday rota",  "New phone list",  "Server outage",          "Fw: price list", "Welcome aboard"};

constexpr std::uint32_t kFirstTid = 0x00010000;

void fail(int line, const std::string& what) {
    throw Error(Errc::usage, (line ? "spec line " + std::to_string(line) + ": " : std::string()) + what);
}

class Planner {
public:
    Planner(const Spec& spec, std::uint64_t seed, std::int64_t now) : spec_(spec), rng_(seed) {
        m_.seed = seed;
        m_.now = now;
        m_.next_tid = kFirstTid;
    }

    Model run() {
        accounts();
        reserve_p1_letters();
        for (auto& a : m_.accounts) a.tid = m_.next_tid++;
        groups();
        externals();
        limit_pals();
        mail();
        m_.p1 = spec_.p1;
        m_.mailbags["INQUEUE3"];
        for (const auto& p : spec_.p1)
            if (p.kind == P1Spec::Kind::queued) {
                std::uint32_t n = 0;
                parse_hex8(p.name, n);
                if (m_.mai_refs.count(n)) fail(p.line, "queued number " + p.name + " is already a message");
                add_header("INQUEUE3", Header{"ADMIN", "Queued from another postoffice", n, m_.now - p.age_s},
                           p.line);
                if (p.freed)
                    free_last_slot("INQUEUE3");
                else
                    m_.mai_refs[n] = 1;
            }
        finish_counters();
        dates();
        return std::move(m_);
    }

private:
    const Spec& spec_;
    Rng rng_;
    Model m_;
    std::set<std::uint32_t> reserved_letters_;
    std::uint32_t letter_ = 1;
    std::uint32_t max_mailbag_used_ = 0;
    std::uint32_t max_letter_used_ = 0;

    std::uint32_t new_mailbag() { return m_.next_mailbag++; }
    std::uint32_t new_letter() {
        while (reserved_letters_.count(letter_)) ++letter_;
        max_letter_used_ = std::max(max_letter_used_, letter_);
        return letter_++;
    }

    void accounts() {
        std::vector<UserSpec> users = spec_.accounts;
        auto admin =
            std::find_if(users.begin(), users.end(), [](const UserSpec& u) { return u.name == "ADMIN"; });
        if (admin == users.end())
            users.insert(users.begin(), UserSpec{"ADMIN", "Administrator", 0, 0, 0, false, 0});
        else
            std::rotate(users.begin(), admin, admin + 1);
        if (users.front().deleted) fail(users.front().line, "ADMIN cannot be deleted");
        std::set<std::string> taken;
        for (const auto& u : users) taken.insert(u.name);
        const std::uint32_t want = spec_.users.value_or(0);
        for (std::uint32_t i = 1; users.size() < want; ++i) {
            std::string name = "USER" + std::string(i < 1000 ? "0" : "") + std::string(i < 100 ? "0" : "") +
                               std::string(i < 10 ? "0" : "") + std::to_string(i);
            if (taken.count(name)) continue;
            UserSpec u;
            u.name = name;
            u.full_name =
                std::string(kFirst[rng_.below(16)]) + " " + kLast[rng_.below(16)] + " " + std::to_string(i);
            u.mail = rng_.below(3);
            u.deleted = rng_.below(25) == 0;
            u.pal = rng_.below(10) == 0 ? 1 + rng_.below(4) : 0;
            if (u.deleted) u.mail = 0;
            generated_.push_back(users.size());
            users.push_back(std::move(u));
        }
        for (const auto& u : users) {
            PlannedAccount a;
            a.name = u.name;
            a.full_name = u.full_name;
            a.deleted = u.deleted;
            a.pal = u.deleted ? 0 : u.pal;
            a.mailbag = new_mailbag();
            m_.accounts.push_back(std::move(a));
            specs_.push_back(u);
            if (!u.deleted) m_.mailbags[format_hex8(m_.accounts.back().mailbag)];
        }
    }

    void reserve_p1_letters() {
        for (const auto& p : spec_.p1) {
            std::uint32_t n = 0;
            const std::string stem = p.name.substr(0, p.name.find('.'));
            if (!parse_hex8(stem, n)) continue;
            const std::string ext = p.name.size() > 9 ? p.name.substr(9) : "";
            if (p.kind == P1Spec::Kind::queued || (!ext.empty() && ext[0] == 'P')) {
                reserved_letters_.insert(n);
                max_letter_used_ = std::max(max_letter_used_, n);
            } else if (ext == "0LK") {
                max_mailbag_used_ = std::max(max_mailbag_used_, n);
            }
        }
    }

    std::uint32_t account_index(const std::string& name, int line) const {
        for (std::uint32_t i = 0; i < m_.accounts.size(); ++i)
            if (m_.accounts[i].name == name) {
                if (m_.accounts[i].deleted) fail(line, name + " is a deleted account");
                return i;
            }
        fail(line, "no user " + name);
        return 0;
    }

    void groups() {
        for (const auto& g : spec_.groups) {
            Group grp{g.name, m_.next_tid++, {}};
            for (const auto& n : g.members) grp.members.push_back(account_index(n, g.line));
            if (grp.members.size() > 500) fail(g.line, "a group holds at most 500 local members");
            m_.groups.push_back(std::move(grp));
        }
    }

    void externals() {
        for (const auto& e : spec_.externals) {
            auto net = std::find_if(m_.networks.begin(), m_.networks.end(),
                                    [&](const Network& n) { return n.name == e.network; });
            if (net == m_.networks.end()) {
                m_.networks.push_back(Network{e.network, new_mailbag(), {}});
                net = m_.networks.end() - 1;
            }
            for (auto idx : net->externals)
                if (m_.externals[idx].postoffice == e.postoffice)
                    fail(e.line, "external postoffice defined twice");
            External x{e.network, e.postoffice, new_mailbag(), {}, {}};
            for (std::uint32_t i = 1; i <= e.users; ++i) {
                x.users.push_back("USER" + std::to_string(i));
                x.user_tids.push_back(m_.next_tid++);
            }
            net->externals.push_back(static_cast<std::uint32_t>(m_.externals.size()));
            m_.mailbags[format_hex8(x.mailbag)];
            for (std::uint32_t i = 0; i < e.mail; ++i)
                add_header(format_hex8(x.mailbag), new_message(random_sender()), e.line);
            for (const auto& h : pending_) m_.mai_refs[h] = 1;
            pending_.clear();
            m_.externals.push_back(std::move(x));
        }
    }

    std::string random_sender() {
        std::uint32_t i = rng_.below(static_cast<std::uint32_t>(m_.accounts.size()));
        while (m_.accounts[i].deleted) i = (i + 1) % static_cast<std::uint32_t>(m_.accounts.size());
        return m_.accounts[i].name;
    }

    Header new_message(const std::string& from, std::string subject = {}) {
        if (subject.empty()) subject = kSubjects[rng_.below(10)];
        // dates() sets the time. This draw (once a random age) stays so that the
        // generated names and recipients after it do not change.
        rng_.next();
        Header h{from, subject, new_letter(), 0};
        pending_.push_back(h.mai);
        return h;
    }

    void add_header(const std::string& stem, Header h, int line) {
        auto& bag = m_.mailbags[stem];
        if (bag.slots.size() >= kMaxMailbagSlots)
            fail(line, "mailbag " + stem + " would be over " + std::to_string(kMaxMailbagSlots) + " headers");
        bag.slots.push_back({std::move(h), false});
    }

    // A freed slot's message is long gone: its KEY bit is set and no MAI is written.
    void free_last_slot(const std::string& stem) { m_.mailbags[stem].slots.back().freed = true; }

    void mail() {
        for (std::size_t i = 0; i < m_.accounts.size(); ++i) {
            const auto& a = m_.accounts[i];
            if (a.deleted) continue;
            for (std::uint32_t k = 0; k < specs_[i].mail; ++k)
                add_header(format_hex8(a.mailbag), new_message(random_sender()), specs_[i].line);
        }
        for (auto n : pending_) m_.mai_refs[n] = 1;
        pending_.clear();
        for (const auto& msg : spec_.messages) {
            Header h = new_message(msg.from, msg.subject);
            std::set<std::uint32_t> seen;
            for (const auto& to : msg.to) {
                const auto idx = account_index(to, msg.line);
                if (!seen.insert(idx).second) continue;  // one MAI is never twice in one mailbag
                add_header(format_hex8(m_.accounts[idx].mailbag), h, msg.line);
            }
            m_.mai_refs[h.mai] = static_cast<std::uint16_t>(seen.size());
            pending_.clear();
        }
        shared_generated_mail();
        freed_slots();
    }

    // Generated accounts also get messages to several people, so reference counts above 1 occur.
    void shared_generated_mail() {
        for (auto gi : generated_) {
            if (m_.accounts[gi].deleted || rng_.below(8) != 0) continue;
            Header h = new_message(m_.accounts[gi].name);
            std::set<std::uint32_t> to;
            const std::uint32_t want = 2 + rng_.below(3);
            for (std::uint32_t k = 0; k < want * 2 && to.size() < want; ++k) {
                const auto idx = static_cast<std::uint32_t>(
                    generated_[rng_.below(static_cast<std::uint32_t>(generated_.size()))]);
                if (!m_.accounts[idx].deleted) to.insert(idx);
            }
            std::uint16_t refs = 0;
            for (auto idx : to) {
                auto& bag = m_.mailbags[format_hex8(m_.accounts[idx].mailbag)];
                if (bag.slots.size() >= 4000) continue;
                bag.slots.push_back({h, false});
                ++refs;
            }
            if (refs) m_.mai_refs[h.mai] = refs;
            pending_.clear();
        }
    }

    // Freed slots hold the bytes of a message deleted long ago: its MAI is gone.
    // The mailbag is rebuilt once (linear, however many slots).
    void freed_slots() {
        for (std::size_t i = 0; i < m_.accounts.size(); ++i) {
            const UserSpec& u = specs_[i];
            if (m_.accounts[i].deleted || u.freed == 0) continue;
            auto& bag = m_.mailbags[format_hex8(m_.accounts[i].mailbag)];
            if (bag.slots.size() + u.freed > kMaxMailbagSlots)
                fail(u.line, "mail + freed is over " + std::to_string(kMaxMailbagSlots));
            const auto at = freed_positions(bag.slots.size(), u.freed, u.freed_at);
            if (!at.empty() && at.back() >= kMailbagLimit)
                fail(u.line, "freed slot " + std::to_string(at.back()) +
                                 " would lie at or past slot 4096, which has no KEY bit (try freed-at=spread "
                                 "or start)");
            std::vector<Mailbag::Slot> slots;
            slots.reserve(bag.slots.size() + u.freed);
            std::size_t live = 0, next = 0;
            for (std::size_t s = 0; s < bag.slots.size() + u.freed; ++s) {
                if (next < at.size() && at[next] == s) {
                    slots.push_back({new_message(random_sender()), true});
                    ++next;
                } else {
                    slots.push_back(std::move(bag.slots[live++]));
                }
            }
            bag.slots = std::move(slots);
            pending_.clear();
        }
    }

    // Every header's date: minute steps by MAI number (creation order), the
    // newest a minute before `now`, so within a mailbag the live headers grow
    // older towards slot 0. A freed slot shows the date of the slot before it
    // (a minute before the first live one if none is before it). INQUEUE3
    // keeps the queued envelopes' ages.
    void dates() {
        const auto by_number = [&](const Header& h) {
            return m_.now - 60 * (static_cast<std::int64_t>(letter_) - static_cast<std::int64_t>(h.mai));
        };
        for (auto& [stem, bag] : m_.mailbags) {
            if (stem == "INQUEUE3") continue;
            std::optional<std::int64_t> first_live, prev;
            for (auto& slot : bag.slots)
                if (!slot.freed) {
                    slot.header.time = by_number(slot.header);
                    if (!first_live) first_live = slot.header.time;
                }
            for (auto& slot : bag.slots) {
                if (slot.freed)
                    slot.header.time = prev ? *prev : first_live ? *first_live - 60 : by_number(slot.header);
                prev = slot.header.time;
            }
        }
    }

    // A PAL lists each POL entry at most once (two entries with one TID are
    // nme.duplicate-tid): a spec asking for more is refused, a generated
    // account's PAL is cut to the POL's size.
    void limit_pals() {
        std::size_t pol = m_.groups.size();
        for (const auto& a : m_.accounts) pol += a.deleted ? 0 : 1;
        for (const auto& x : m_.externals) pol += x.users.size();
        for (std::size_t i = 0; i < m_.accounts.size(); ++i) {
            auto& a = m_.accounts[i];
            if (a.pal <= pol) continue;
            if (specs_[i].line)
                fail(specs_[i].line, "pal=" + std::to_string(a.pal) + " is more than the " +
                                         std::to_string(pol) +
                                         " entries of the POL (a PAL lists each entry once)");
            a.pal = static_cast<std::uint32_t>(pol);
        }
    }

    void finish_counters() {
        m_.next_mailbag = std::max(m_.next_mailbag, max_mailbag_used_ + 1);
        m_.next_letter = std::max(letter_, max_letter_used_ + 1);
    }

    std::vector<std::size_t> generated_;
    std::vector<UserSpec> specs_;
    std::vector<std::uint32_t> pending_;
};

}  // namespace

std::vector<std::size_t> freed_positions(std::size_t live, std::size_t freed, FreedAt where) {
    std::vector<std::size_t> at;
    at.reserve(freed);
    const std::size_t total = live + freed;
    switch (where) {
        case FreedAt::alternate:  // live, freed, live, freed, ... then the rest
            for (std::size_t k = 0; k < freed; ++k) at.push_back(k < live ? 2 * k + 1 : live + k);
            break;
        case FreedAt::end:
            for (std::size_t k = 0; k < freed; ++k) at.push_back(live + k);
            break;
        case FreedAt::start:
            for (std::size_t k = 0; k < freed; ++k) at.push_back(k);
            break;
        case FreedAt::spread: {
            // The middle of each of `freed` equal stretches of the slots that have a KEY bit.
            const std::size_t region = std::min<std::size_t>(total, kMailbagLimit);
            for (std::size_t k = 0; k < freed; ++k) at.push_back((2 * k + 1) * region / (2 * freed));
            break;
        }
    }
    return at;
}

Model plan(const Spec& spec, std::uint64_t seed, std::int64_t now) {
    Model m = Planner(spec, seed, now).run();
    return m;
}

}  // namespace mspo::pogen
