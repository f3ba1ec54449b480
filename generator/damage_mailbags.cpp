// The mailbag KEY kinds (key-bits-beyond, key-inverted), made for mbgsplit's
// checks: what they break is invisible to run_checks' own ids, or shows there
// only as consequences (docs/POGEN.md, damage_kinds.cpp).
#include <algorithm>

#include "damage_support.hpp"
#include "mspo/format/key.hpp"
#include "mspo/format/layout.hpp"
#include "mspo/format/mbg.hpp"

namespace mspo::pogen {

namespace {

class MailbagDamager : public DamageContext {
public:
    using DamageContext::DamageContext;

    bool run() {
        if (d_.kind == "key-bits-beyond")
            bits_beyond();
        else if (d_.kind == "key-inverted")
            inverted();
        else
            return false;
        return true;
    }

private:
    std::string stem_of(std::size_t account) const { return format_hex8(m_.accounts[account].mailbag); }

    std::uint64_t records(const std::string& stem) {
        return file("MBG/" + stem + ".MBG").data.size() / MbgRecord::size;
    }

    // N deleted bits past the last record, where no record is.
    void bits_beyond() {
        const std::string stem = stem_of(account(0));
        const std::uint64_t n = num_arg(1, 3);
        const std::uint64_t first = records(stem);
        if (n == 0) fail("N must be 1 or more");
        if (first + n > kMailbagLimit)
            fail("mailbag " + stem + " holds " + std::to_string(first) + " records: the KEY has no " +
                 std::to_string(n) + " bits past them (4096 in all)");
        auto& data = file("KEY/" + stem + ".KEY").data;
        KeyFile key = KeyFile::from_bytes(data);
        for (std::uint64_t slot = first; slot < first + n; ++slot) key.set_slot_deleted(slot, true);
        data = key.to_bytes();
    }

    // The opposite polarity: live slots read as deleted and freed ones as live.
    void inverted() {
        std::vector<std::string> stems;
        if (arg(0, "") == "all") {
            for (const auto& [stem, bag] : m_.mailbags) stems.push_back(stem);
        } else {
            stems.push_back(d_.args.empty() ? stem_of(first_with_mail()) : stem_of(account(0)));
            if (records(stems.front()) == 0) fail("mailbag " + stems.front() + " holds no record to invert");
        }
        for (const auto& stem : stems) {
            if (!t_.has("MBG/" + stem + ".MBG") || !t_.has("KEY/" + stem + ".KEY")) continue;
            const std::uint64_t n = std::min<std::uint64_t>(records(stem), kMailbagLimit);
            auto& data = file("KEY/" + stem + ".KEY").data;
            KeyFile key = KeyFile::from_bytes(data);
            for (std::uint64_t slot = 0; slot < n; ++slot)
                key.set_slot_deleted(slot, !key.slot_deleted(slot));
            data = key.to_bytes();
        }
    }

    // The default for key-inverted: the first active account (ACCESS order,
    // ADMIN first) whose mailbag holds a record, since inverting an empty
    // mailbag changes nothing.
    std::size_t first_with_mail() const {
        for (std::size_t i = 0; i < m_.accounts.size(); ++i)
            if (!m_.accounts[i].deleted && !m_.mailbags.at(stem_of(i)).slots.empty()) return i;
        fail("no account's mailbag holds a record");
    }
};

}  // namespace

bool apply_mailbag_damage(Tree& tree, const Model& model, const DamageSpec& damage) {
    return MailbagDamager(tree, model, damage).run();
}

}  // namespace mspo::pogen
