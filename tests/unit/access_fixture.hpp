// Test-only builder of small postoffices for the account tests: writes the
// three ACCESS files through access.hpp (and the MBG/KEY files of active
// accounts) from a readable list of accounts.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "mspo/format/access.hpp"
#include "mspo/base/bytes.hpp"
#include "test_support.hpp"

namespace access_fixture {

namespace fs = std::filesystem;
using mspo::test::read_bytes;
using mspo::test::write_bytes;

/// A mspo::test::TempDir tagged "accounts".
struct TempDir : mspo::test::TempDir {
    TempDir() : mspo::test::TempDir("accounts") {}
};

struct Spec {
    std::string mailbox;    // raw CP850
    std::string full_name;  // raw CP850
    std::uint32_t mailbag = 0;
    bool deleted = false;
    std::uint32_t tid = 0;
};

/// Writes GLB/ACCESS.GLB, ACCESS2.GLB, ACCESS3.GLB for `accounts`, and, if
/// `with_mailbags`, an empty MBG/<hex>.MBG and a zeroed KEY/<hex>.KEY for
/// each active account.
inline void write_postoffice(const fs::path& root, const std::vector<Spec>& accounts,
                             bool with_mailbags = true) {
    mspo::AccessTable t1;
    mspo::Access2Table t2;
    mspo::Access3Table t3;
    for (const auto& s : accounts) {
        mspo::AccessRecord r1;
        r1.set_full_name(s.full_name);
        r1.raw[0x100] = 0x5A;  // something in the unknown part
        mspo::Access2Record r2;
        r2.set_mailbox(s.mailbox);
        r2.set_mailbag(s.mailbag);
        r2.set_tid(s.tid);
        r2.set_deleted(s.deleted);
        mspo::Access3Record r3;
        t1.records.push_back(r1);
        t2.records.push_back(r2);
        t3.records.push_back(r3);
    }
    fs::create_directories(root / "GLB");
    fs::create_directories(root / "MBG");
    fs::create_directories(root / "KEY");
    write_bytes(root / "GLB" / "ACCESS.GLB", mspo::encode_table(t1));
    write_bytes(root / "GLB" / "ACCESS2.GLB", mspo::encode_table(t2));
    write_bytes(root / "GLB" / "ACCESS3.GLB", mspo::encode_table(t3));
    if (!with_mailbags) return;
    for (const auto& s : accounts) {
        if (s.deleted) continue;
        const std::string hex = mspo::format_hex8(s.mailbag);
        write_bytes(root / "MBG" / (hex + ".MBG"), {});
        write_bytes(root / "KEY" / (hex + ".KEY"), mspo::Bytes(560, 0));
    }
}

/// Three accounts, one deleted: ADMIN 00000000, SMITH 00000001, OLD 00000002 (deleted).
inline std::vector<Spec> small_set() {
    return {{"ADMIN", "Administrator", 0, false, 0x100},
            {"SMITH", "John Smith", 1, false, 0x101},
            {"OLD", "Old User", 2, true, 0x102}};
}

/// Overwrites byte `offset` of `file`.
inline void poke(const fs::path& file, std::uint64_t offset, std::uint8_t value) {
    mspo::Bytes b = read_bytes(file);
    b.at(static_cast<std::size_t>(offset)) = value;
    write_bytes(file, b);
}

}  // namespace access_fixture
