// pogen's postoffice model: a spec with every number allocated (mailbags,
// letters, TIDs), every message placed in its mailbags and every MAI's true
// reference count known. plan() makes it; render() (builder.hpp) turns it into bytes.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "mspo/pogen/spec.hpp"

namespace mspo::pogen {

/// A local account as planned (mspo::Account in accounts.hpp is what the library reads back).
struct PlannedAccount {
    std::string name;  // mailbox name, upper case
    std::string full_name;
    std::uint32_t mailbag = 0;
    std::uint32_t tid = 0;
    bool deleted = false;
    std::uint32_t pal = 0;  // PAL entries (0 = no PAL file)
};

struct Header {
    std::string from;       // sender mailbox name
    std::string subject;    // up to 40 chars
    std::uint32_t mai = 0;  // MAI file number
    std::int64_t time = 0;  // seconds since the epoch; minute steps in MAI order, newest a minute before now
};

/// One MBG/KEY pair. Slots in file order; a freed slot holds stale bytes and
/// has its KEY bit set (freed slots lie below 4096). Live headers' dates rise
/// with the slot: slot 0 is the oldest. A mailbag may be longer than 4096
/// slots (up to kMaxMailbagSlots); slots past 4095 have no KEY bit and are live.
struct Mailbag {
    struct Slot {
        Header header;
        bool freed = false;
    };
    std::vector<Slot> slots;
};

struct Group {
    std::string name;
    std::uint32_t tid = 0;               // also the MEM file number
    std::vector<std::uint32_t> members;  // account indexes
};

struct External {
    std::string network, postoffice;
    std::uint32_t mailbag = 0;             // its MBG/KEY/USR file number
    std::vector<std::string> users;        // mailbox names on that postoffice
    std::vector<std::uint32_t> user_tids;  // parallel to users
};

struct Network {
    std::string name;
    std::uint32_t xtn = 0;                 // XTN file number
    std::vector<std::uint32_t> externals;  // indexes into Model::externals
};

struct Model {
    std::uint64_t seed = 1;
    std::int64_t now = kDefaultNow;
    std::vector<PlannedAccount> accounts;  // ACCESS* order; [0] is ADMIN, mailbag 0
    std::vector<Group> groups;
    std::vector<External> externals;
    std::vector<Network> networks;
    std::map<std::string, Mailbag> mailbags;          // keyed by file stem: "0000002A", "INQUEUE3"
    std::map<std::uint32_t, std::uint16_t> mai_refs;  // every MAI file and its true reference count
    std::vector<P1Spec> p1;                           // P1 folder files (queued ones included)
    std::uint32_t next_mailbag = 0;                   // CONTROL.GLB
    std::uint32_t next_letter = 0;
    std::uint32_t next_tid = 0;  // TID.GLB
};

/// Allocates every number of `spec` (seed and now already resolved by the
/// caller). Throws Error{usage} for a spec that cannot be built (for example
/// a message over the 4096-slot limit), naming the spec line.
Model plan(const Spec& spec, std::uint64_t seed, std::int64_t now);

/// The slots (ascending) that a mailbag of `live` live headers and `freed`
/// freed slots gives its freed ones, placed as `where` says (FreedAt). With
/// spread the freed slots lie below min(live + freed, 4096); with the others
/// they may lie past 4095 (plan() refuses that). freed <= 4096 for spread.
std::vector<std::size_t> freed_positions(std::size_t live, std::size_t freed, FreedAt where);

/// A small deterministic generator (splitmix64), the same on every platform.
class Rng {
public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next();
    /// Uniform in [0, n); n > 0.
    std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(next() % n); }

private:
    std::uint64_t state_;
};

}  // namespace mspo::pogen
