// The KEY model test (common/checks/key_model.cpp): small postoffices from
// pogen specs, then KEYs and MAIs changed by hand.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "mspo/base/interrupt.hpp"
#include "mspo/checks/key_model.hpp"
#include "mspo/format/key.hpp"
#include "mspo/format/mai.hpp"
#include "mspo/format/mbg.hpp"
#include "pogen_fixture.hpp"

using namespace mspo;
using pogen_fixture::TempPostoffice;
namespace fs = std::filesystem;
using Verdict = KeyModelFit::Verdict;

namespace {

// ALICE and BOB have freed slots (odd slots: 1, 3, 5, ...), whose MAIs are gone.
constexpr std::string_view kSpec = R"(
user ADMIN mail=4
user ALICE mail=6 freed=3
user BOB mail=5 freed=2
user CAROL mail=2
message ADMIN ALICE BOB CAROL "Shared"
)";

// Calls `fn` with every KEY beside a non-empty MBG and its MBG's record count, and writes it back.
void for_each_key(const TempPostoffice& po, const std::function<void(KeyFile&, std::uint64_t)>& fn) {
    for (const auto& e : fs::directory_iterator(po.path("MBG"))) {
        const auto records = fs::file_size(e.path()) / MbgRecord::size;
        if (records == 0) continue;
        const auto key = po.path("KEY") / (e.path().stem().string() + ".KEY");
        KeyFile k = read_key(key);
        fn(k, records);
        pogen_fixture::write_bytes(key, k.to_bytes());
    }
}

void append_record(const fs::path& mbg, std::uint32_t mai) {
    MbgRecord r;
    r.set_sender("ZED");
    r.set_subject("appended");
    r.set_mai(mai);
    auto b = pogen_fixture::read_bytes(mbg);
    b.insert(b.end(), r.raw.begin(), r.raw.end());
    pogen_fixture::write_bytes(mbg, b);
}

void write_mai(const TempPostoffice& po, std::uint32_t n, std::uint16_t counter) {
    Bytes mai(64, 0x5A);
    set_refcount(mai, counter);
    pogen_fixture::write_bytes(po.path(mai_relpath(n)), mai);
}

// The one mailbag of a spec with one non-empty mailbag.
fs::path only_mbg(const TempPostoffice& po) {
    fs::path found;
    for (const auto& e : fs::directory_iterator(po.path("MBG")))
        if (fs::file_size(e.path()) > 0) {
            REQUIRE(found.empty());
            found = e.path();
        }
    REQUIRE_FALSE(found.empty());
    return found;
}

fs::path key_of(const TempPostoffice& po, const fs::path& mbg) {
    return po.path("KEY") / (mbg.stem().string() + ".KEY");
}

}  // namespace

TEST_CASE("key_model: verdict names", "[key_model]") {
    CHECK(std::string(key_model_verdict_name(Verdict::supported)) == "supported");
    CHECK(std::string(key_model_verdict_name(Verdict::inconclusive)) == "inconclusive");
    CHECK(std::string(key_model_verdict_name(Verdict::contradicted)) == "contradicted");
}

TEST_CASE("key_model: a normal postoffice with freed slots supports the model", "[key_model]") {
    TempPostoffice po(kSpec);
    const KeyModelFit fit = test_key_model(po.po());
    INFO(fit.text);
    CHECK(fit.verdict == Verdict::supported);
    CHECK(fit.mailbags >= 4);
    CHECK(fit.headers == 4 + 9 + 7 + 2 + 3);       // the shared message: one header per recipient
    CHECK(fit.mais == 4 + 6 + 5 + 2 + 1 + 3 + 2);  // live, the shared one, freed (missing: counter 0)
    CHECK(fit.skipped == 0);
    CHECK(fit.decisive > 0);
    CHECK(fit.model_agrees == fit.decisive);
    CHECK(fit.rival_agrees == 0);
    CHECK(fit.rival != KeyReading::model);
    CHECK(fit.text.find("MAI counters agree with our KEY model for ") == 0);
    CHECK(check_key_model(po.po(), fit).empty());
    CHECK(check_key_model(po.po()).empty());
}

TEST_CASE("key_model: inverted bitmaps contradict the model", "[key_model]") {
    TempPostoffice po(kSpec);
    for_each_key(po, [](KeyFile& k, std::uint64_t records) {
        for (std::size_t s = 0; s < records && s < kMailbagLimit; ++s)
            k.set_slot_deleted(s, !k.slot_deleted(s));
    });
    const KeyModelFit fit = test_key_model(po.po());
    INFO(fit.text);
    CHECK(fit.verdict == Verdict::contradicted);
    CHECK(fit.rival == KeyReading::inverted);
    CHECK(fit.decisive == fit.mais);  // every MAI: refs 0 under one reading, its counter under the other
    CHECK(fit.model_agrees == 0);
    CHECK(fit.rival_agrees == fit.decisive);
    CHECK(fit.text == "MAI counters agree with our KEY model for 0 of " + std::to_string(fit.decisive) +
                          " messages where it and inverted polarity differ, with inverted polarity for " +
                          std::to_string(fit.decisive));
    const Findings f = check_key_model(po.po(), fit);
    REQUIRE(f.size() == 1);
    CHECK(f[0].check == "key.model-mismatch");
    CHECK(f[0].severity == Severity::error);
    CHECK(f[0].file == "KEY");
    CHECK(f[0].message.find(fit.text) != std::string::npos);
}

TEST_CASE("key_model: bits stored most significant first contradict the model", "[key_model]") {
    TempPostoffice po(kSpec);
    for_each_key(po, [](KeyFile& k, std::uint64_t) {
        KeyFile mirrored = k;
        for (std::size_t s = 0; s < kMailbagLimit; ++s) mirrored.set_slot_deleted(s ^ 7u, k.slot_deleted(s));
        k = mirrored;
    });
    const KeyModelFit fit = test_key_model(po.po());
    INFO(fit.text);
    CHECK(fit.verdict == Verdict::contradicted);
    CHECK(fit.rival == KeyReading::msb_first);
    CHECK(fit.model_agrees == 0);
    CHECK(fit.rival_agrees == fit.decisive);
    CHECK(fit.decisive > 0);
}

TEST_CASE("key_model: one message is too little evidence", "[key_model]") {
    TempPostoffice po("user ADMIN mail=1\n");
    const KeyModelFit fit = test_key_model(po.po());
    INFO(fit.text);
    CHECK(fit.verdict == Verdict::inconclusive);
    CHECK(fit.headers == 1);
    CHECK(fit.mais == 1);
    CHECK(fit.decisive == 1);
    CHECK(fit.model_agrees == 1);
    CHECK(fit.rival_agrees == 0);
    CHECK(check_key_model(po.po(), fit).empty());
}

TEST_CASE("key_model: an empty postoffice is inconclusive", "[key_model]") {
    TempPostoffice po("user ADMIN\n");
    const KeyModelFit fit = test_key_model(po.po());
    CHECK(fit.verdict == Verdict::inconclusive);
    CHECK(fit.headers == 0);
    CHECK(fit.mais == 0);
    CHECK(fit.decisive == 0);
    CHECK(fit.text.find("no mailbag header names a MAI") == 0);
}

TEST_CASE("key_model: a mailbag without a usable KEY is live under every reading", "[key_model]") {
    TempPostoffice po("user ALICE mail=6 freed=3\n");
    const fs::path mbg = only_mbg(po);
    const fs::path key = key_of(po, mbg);
    SECTION("no KEY") { fs::remove(key); }
    SECTION("a KEY of 559 bytes") {
        auto b = pogen_fixture::read_bytes(key);
        b.pop_back();
        pogen_fixture::write_bytes(key, b);
    }
    SECTION("a folder where the KEY belongs") { pogen_fixture::make_not_regular(key, "folder"); }
    const KeyModelFit fit = test_key_model(po.po());
    INFO(fit.text);
    CHECK(fit.headers == 9);
    CHECK(fit.mais == 9);
    CHECK(fit.decisive == 0);  // every reading counts every header live
    CHECK(fit.verdict == Verdict::inconclusive);
    CHECK(fit.text ==
          "MAI counters cannot tell our KEY model from the other readings: they predict the "
          "same counter for all 9 messages");
}

TEST_CASE("key_model: a mailbag that is not a regular file is never opened", "[key_model][makes-fifos]") {
    TempPostoffice po(kSpec);
    const KeyModelFit before = test_key_model(po.po());
    std::uint64_t records = 0;
    for (const auto& e : fs::directory_iterator(po.path("MBG")))
        if (fs::file_size(e.path()) > 0) {
            records = fs::file_size(e.path()) / MbgRecord::size;
            pogen_fixture::make_not_regular(e.path(), "fifo");
            break;
        }
    REQUIRE(records > 0);
    const KeyModelFit fit = test_key_model(po.po());
    CHECK(fit.mailbags == before.mailbags - 1);
    CHECK(fit.headers == before.headers - records);
}

TEST_CASE("key_model: records past slot 4095 are live under every reading", "[key_model]") {
    TempPostoffice po("user ALICE mail=4090 freed=6\n");
    const fs::path mbg = only_mbg(po);
    const KeyModelFit before = test_key_model(po.po());
    CHECK(before.verdict == Verdict::supported);
    CHECK(before.headers == 4096);
    append_record(mbg, 0x00F00001);  // slot 4096: no KEY bit
    write_mai(po, 0x00F00001, 1);
    append_record(mbg, 0x00F00002);  // slot 4097, its MAI gone
    const KeyModelFit fit = test_key_model(po.po());
    INFO(fit.text);
    CHECK(fit.headers == 4098);
    CHECK(fit.mais == before.mais + 2);
    CHECK(fit.verdict == Verdict::supported);
    CHECK(fit.rival == before.rival);
    CHECK(fit.decisive == before.decisive);
    CHECK(fit.model_agrees == fit.decisive);
}

TEST_CASE("key_model: a counter of 2 is two mailbags' live headers", "[key_model]") {
    TempPostoffice po(R"(
user ADMIN
user ALICE mail=8 freed=4
user BOB mail=8 freed=4
message ADMIN ALICE BOB "Two"
)");
    const KeyModelFit fit = test_key_model(po.po());
    INFO(fit.text);
    CHECK(fit.mais == 8 + 4 + 8 + 4 + 1);
    CHECK(fit.verdict == Verdict::supported);
    CHECK(fit.model_agrees == fit.decisive);
    CHECK(fit.rival_agrees == 0);
    // The shared MAI's counter drifts to 1: one counter off does not condemn the model.
    std::uint32_t shared = 0;
    for (const auto& e : fs::recursive_directory_iterator(po.path("MAI")))
        if (e.is_regular_file() && get_refcount(pogen_fixture::read_bytes(e.path())) == 2)
            shared = *file_number(e.path().filename().string(), "MAI");
    REQUIRE(shared != 0);
    write_mai(po, shared, 1);
    const KeyModelFit off = test_key_model(po.po());
    INFO(off.text);
    CHECK(off.verdict == Verdict::supported);
    CHECK(off.model_agrees <= fit.model_agrees);
    CHECK(off.model_agrees + 1 >= fit.model_agrees);
}

TEST_CASE("key_model: MAIs that cannot be judged are skipped", "[key_model][makes-fifos]") {
    TempPostoffice po(kSpec);
    const KeyModelFit before = test_key_model(po.po());
    std::vector<fs::path> mais;
    for (const auto& e : fs::recursive_directory_iterator(po.path("MAI")))
        if (e.is_regular_file()) mais.push_back(e.path());
    REQUIRE(mais.size() >= 2);
    pogen_fixture::write_bytes(mais[0], Bytes(12, 0));  // too short for the counter
    pogen_fixture::make_not_regular(mais[1], "fifo");
    const KeyModelFit fit = test_key_model(po.po());
    INFO(fit.text);
    CHECK(fit.skipped == 2);
    CHECK(fit.mais == before.mais - 2);
    CHECK(fit.text.find("(2 MAIs not judged") != std::string::npos);
}

TEST_CASE("key_model: a MAI named in lower case is found and read", "[key_model]") {
    TempPostoffice po(kSpec);
    const KeyModelFit before = test_key_model(po.po());
    REQUIRE(before.mais >= 2);
    std::vector<fs::path> mais;
    for (const auto& e : fs::recursive_directory_iterator(po.path("MAI")))
        if (e.is_regular_file()) mais.push_back(e.path());
    REQUIRE(!mais.empty());
    std::string lower = mais[0].filename().string();
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
    fs::rename(mais[0], mais[0].parent_path() / lower);
    const KeyModelFit fit = test_key_model(po.po());
    INFO(fit.text);
    CHECK(fit.skipped == 0);
    CHECK(fit.mais == before.mais);
    CHECK(fit.verdict == before.verdict);
    CHECK(fit.model_agrees == before.model_agrees);
}

TEST_CASE("key_model: a bitmap written at offset 0 contradicts the model", "[key_model]") {
    TempPostoffice po(kSpec);
    for_each_key(po, [](KeyFile& k, std::uint64_t) {
        KeyFile moved;
        std::copy_n(k.raw.begin() + KeyFile::kBitmap, KeyFile::kBitmapSize, moved.raw.begin());
        k = moved;
    });
    const KeyModelFit fit = test_key_model(po.po());
    INFO(fit.text);
    CHECK(fit.verdict == Verdict::contradicted);
    CHECK(fit.rival == KeyReading::at_start);
    CHECK(fit.decisive == 3 + 2);  // the freed slots: live under our model, their MAIs gone
    CHECK(fit.model_agrees == 0);
    CHECK(fit.rival_agrees == 5);
}

TEST_CASE("key_model: a stop request ends the test", "[key_model]") {
    TempPostoffice po(kSpec);
    struct Lowered {
        ~Lowered() { clear_interrupt(); }  // even if an assertion below fails
    } lowered;
    request_interrupt();
    try {
        test_key_model(po.po());
        FAIL("no error");
    } catch (const Error& e) { CHECK(e.code() == Errc::interrupted); }
    clear_interrupt();
    CHECK(test_key_model(po.po()).verdict == Verdict::supported);
}

TEST_CASE("key_model: pogen's key-inverted damage is contradicted", "[key_model][pogen]") {
    TempPostoffice all(kSpec, {"key-inverted:all"});
    const KeyModelFit fit = test_key_model(all.po());
    INFO(fit.text);
    CHECK(fit.verdict == Verdict::contradicted);
    CHECK(fit.rival == KeyReading::inverted);
    CHECK(check_key_model(all.po()).size() == 1);
}
