// common/checks/mailbag_plan.cpp and mailbags.cpp: mbgsplit's survey and plan,
// applied for real: no header lost or duplicated, every mailbag under --max,
// run 2 finds nothing to do, --merge gives back the original order.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>

#include "mspo/checks/mailbag_plan.hpp"
#include "mspo/format/key.hpp"
#include "mspo/format/mai.hpp"
#include "mspo/format/mbg.hpp"
#include "pogen_fixture.hpp"

using namespace mspo;
using pogen_fixture::TempPostoffice;

namespace {

constexpr std::uint32_t kFirstMai = 0x10000;

// Enough live and freed headers around ALICE's mailbag for the KEY model test
// to confirm our model against every other reading (it needs 3 counters each).
constexpr const char* kEvidenceSpec =
    "user ADMIN mail=6 freed=6\nuser ALICE\nuser BOB mail=6 freed=6 freed-at=start\n";

// Replaces ALICE's mailbag (00000001) by `live` live headers and `deleted`
// deleted slots (every few slots, below 4096), dates one minute apart in slot
// order, each live header naming its own MAI (counter 1), deleted ones naming
// MAIs that are gone.
void fill_mailbag(const TempPostoffice& t, std::uint64_t live, std::uint64_t deleted) {
    const std::uint64_t total = live + deleted;
    const std::uint64_t step =
        deleted ? std::max<std::uint64_t>(1, std::min<std::uint64_t>(total, 4096) / deleted) : 0;
    Bytes mbg;
    mbg.reserve(total * MbgRecord::size);
    KeyFile key;
    std::uint64_t placed = 0;
    for (std::uint64_t slot = 0; slot < total; ++slot) {
        const bool del = placed < deleted && slot < kMailbagLimit &&
                         (slot % step == step - 1 || total - slot == deleted - placed);
        MbgRecord r;
        r.set_sender("ALICE");
        r.set_subject("message " + std::to_string(slot));
        const std::uint64_t minutes = slot;
        r.set_date(MbgDate{static_cast<std::uint16_t>(minutes % 60),
                           static_cast<std::uint16_t>(minutes / 60 % 24),
                           static_cast<std::uint16_t>(1 + minutes / 1440 % 28),
                           static_cast<std::uint16_t>(1 + minutes / 40320 % 12),
                           static_cast<std::uint16_t>(1990 + minutes / 483840)});
        const auto mai = static_cast<std::uint32_t>(kFirstMai + slot);
        r.set_mai(mai);
        mbg.insert(mbg.end(), r.raw.begin(), r.raw.end());
        if (del) {
            key.set_slot_deleted(static_cast<std::size_t>(slot), true);
            ++placed;
        } else {
            Bytes m(16, 0x5A);
            set_refcount(m, 1);
            const auto path = t.path(mai_relpath(mai));
            pogen_fixture::write_bytes(path, m);
        }
    }
    REQUIRE(placed == deleted);
    pogen_fixture::write_bytes(t.path("MBG/00000001.MBG"), mbg);
    pogen_fixture::write_bytes(t.path("KEY/00000001.KEY"), key.to_bytes());
}

// The MAI numbers of the live headers of one mailbag file, in slot order.
std::vector<std::uint32_t> live_of(const fs::path& mbg, const fs::path& keyfile) {
    std::vector<std::uint32_t> out;
    const KeyFile key = read_key(keyfile);
    MbgReader reader(mbg);
    while (auto item = reader.next()) {
        if (item->index < kMailbagLimit && key.slot_deleted(static_cast<std::size_t>(item->index))) continue;
        out.push_back(item->record.mai().value_or(0));
    }
    return out;
}

// ALICE's headers in order: her overflow mailbags (ledger order), then her own.
std::vector<std::uint32_t> sequence(const TempPostoffice& t) {
    std::vector<std::uint32_t> out;
    const auto po = t.po();
    const MailbagSurvey s = survey_mailbags(po, {});
    for (const std::uint32_t o : s.ledger.overflows_of(1)) {
        const auto part =
            live_of(t.path("MBG/" + format_hex8(o) + ".MBG"), t.path("KEY/" + format_hex8(o) + ".KEY"));
        out.insert(out.end(), part.begin(), part.end());
    }
    const auto own = live_of(t.path("MBG/00000001.MBG"), t.path("KEY/00000001.KEY"));
    out.insert(out.end(), own.begin(), own.end());
    return out;
}

std::vector<std::uint32_t> all_live(const TempPostoffice& t) {
    std::vector<std::uint32_t> out;
    for (const auto& e : fs::directory_iterator(t.path("MBG"))) {
        if (e.path().extension() != ".MBG") continue;
        const auto part = live_of(e.path(), t.path("KEY/" + e.path().stem().string() + ".KEY"));
        out.insert(out.end(), part.begin(), part.end());
    }
    std::sort(out.begin(), out.end());
    return out;
}

MailbagPlan plan(const TempPostoffice& t, std::uint64_t max, bool merge = false) {
    MailbagPlanOptions o;
    o.limits.max = max;
    o.merge = merge;
    const auto po = t.po();
    return plan_mailbags(po, survey_mailbags(po, o.limits), o);
}

void apply(const TempPostoffice& t, const MailbagPlan& p) {
    REQUIRE_FALSE(p.refusal);
    ApplyOptions a;
    a.tool = "mbgsplit";
    a.snapshot_dir = t.root().parent_path() / (t.root().filename().string() + ".snapshots");
    apply_plan(t.po(), p.plan, a);
    std::error_code ec;
    fs::remove_all(*a.snapshot_dir, ec);
}

}  // namespace

TEST_CASE("mailbag plan: split keeps every header and every counter", "[checks][mbgsplit][wine-slow]") {
    const auto [live, deleted] = GENERATE(table<std::uint64_t, std::uint64_t>({{0, 0},
                                                                               {1, 0},
                                                                               {0, 3},
                                                                               {4095, 0},
                                                                               {4096, 0},
                                                                               {4097, 0},
                                                                               {4000, 96},
                                                                               {3000, 1096},
                                                                               {10000, 0},
                                                                               {10000, 50}}));
    CAPTURE(live, deleted);
    TempPostoffice t(kEvidenceSpec);
    fill_mailbag(t, live, deleted);
    const auto before = all_live(t);
    const auto order = sequence(t);
    REQUIRE(before.size() == live + 12);

    const std::uint64_t max = 4000;
    const MailbagPlan p = plan(t, max);
    const std::uint64_t total = live + deleted;
    CHECK(p.counts.deleted_dropped == (total > max ? deleted : 0));
    CHECK(p.counts.moved_out == (live > max ? live - max : 0));
    apply(t, p);

    CHECK(all_live(t) == before);  // the multiset of live MAI numbers
    CHECK(sequence(t) == order);   // dates follow slots here, so the oldest are the first
    for (const auto& e : fs::directory_iterator(t.path("MBG")))
        if (e.path().extension() == ".MBG") CHECK(fs::file_size(e.path()) <= max * MbgRecord::size);
    for (std::uint64_t i = 0; i < live + deleted; ++i) {  // no counter changed, no MAI removed
        const auto path = t.path(mai_relpath(static_cast<std::uint32_t>(kFirstMai + i)));
        if (fs::exists(path)) CHECK(read_mai_refcount(path) == 1);
    }
    const MailbagPlan again = plan(t, max);
    CHECK(again.plan.actions.empty());

    // --merge with room for everything gives back the original mailbag, less its deleted slots
    if (p.counts.moved_out > 0) {
        const MailbagPlan back = plan(t, 4095, true);
        CHECK(back.counts.moved_back == std::min<std::uint64_t>(live - max, 4095 - max));
        apply(t, back);
        CHECK(sequence(t) == order);
        CHECK(all_live(t) == before);
    }
}

TEST_CASE("mailbag plan: overflow numbers come from CONTROL.GLB and move it on", "[checks][mbgsplit]") {
    TempPostoffice t(kEvidenceSpec);
    fill_mailbag(t, 15, 3);
    const auto control_before = pogen_fixture::read_bytes(t.path("GLB/CONTROL.GLB"));
    const std::uint32_t next = get_u32(control_before, 0);
    const MailbagPlan p = plan(t, 6);        // ADMIN and BOB are only compacted
    CHECK(p.counts.overflows_created == 2);  // 15 live: 9 move out, in overflows of 6 and 3
    CHECK(p.counts.moved_out == 9);
    apply(t, p);
    const auto s = survey_mailbags(t.po(), {});
    REQUIRE(s.ledger.overflows_of(1).size() == 2);
    CHECK(s.ledger.overflows_of(1)[0] == next);
    CHECK(s.ledger.overflows_of(1)[1] == next + 1);
    CHECK(get_u32(pogen_fixture::read_bytes(t.path("GLB/CONTROL.GLB")), 0) == next + 2);
}

// A run killed part-way leaves "<number>.KEY.mspo-tmp.<token>.<n>"; the next run must
// take the same numbers as an uninterrupted run would (tests/reliability/kill_sweep.py).
TEST_CASE("mailbag plan: a dead run's temporaries hold no mailbag number", "[checks][mbgsplit]") {
    TempPostoffice t(kEvidenceSpec);
    fill_mailbag(t, 15, 3);
    const std::uint32_t next = get_u32(pogen_fixture::read_bytes(t.path("GLB/CONTROL.GLB")), 0);
    for (const char* dir : {"KEY/", "MBG/"}) {
        std::ofstream(t.path(dir + format_hex8(next) + (dir[0] == 'K' ? ".KEY" : ".MBG") +
                             ".mspo-tmp.0123456789abcdef.0"))
            << "partial";
    }
    const MailbagPlan p = plan(t, 6);
    REQUIRE(p.counts.overflows_created == 2);
    apply(t, p);
    const auto s = survey_mailbags(t.po(), {});
    REQUIRE(s.ledger.overflows_of(1).size() == 2);
    CHECK(s.ledger.overflows_of(1)[0] == next);
    CHECK(s.ledger.overflows_of(1)[1] == next + 1);
}

TEST_CASE("mailbag plan: a KEY is written before its MBG and overflow before the owner",
          "[checks][mbgsplit]") {
    TempPostoffice t(kEvidenceSpec);
    fill_mailbag(t, 12, 3);
    const MailbagPlan p = plan(t, 5);
    std::vector<std::string> order;
    for (const auto& a : p.plan.actions) order.push_back(a.relpath);
    const auto at = [&](const std::string& rel) {
        return std::find(order.begin(), order.end(), rel) - order.begin();
    };
    CHECK(at("KEY/00000001.KEY") < at("MBG/00000001.MBG"));
    CHECK(at("MBG/OVERFLOW.TXT") < at("KEY/00000001.KEY"));
    CHECK(at("GLB/CONTROL.GLB") < at("KEY/00000001.KEY"));
}

TEST_CASE("mailbag plan: nothing to do on a healthy postoffice", "[checks][mbgsplit]") {
    TempPostoffice t(pogen_fixture::kSmallSpec);
    const MailbagPlan p = plan(t, 4000);
    CHECK(p.plan.actions.empty());
    CHECK_FALSE(p.refusal);
}
