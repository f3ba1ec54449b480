// pogen's text description of a postoffice (docs/POGEN.md): a parsed spec is
// a plain list of accounts, groups, external postoffices, messages, P1 files
// and damage requests. Parsing opens no file; the builder turns a spec into bytes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mspo::pogen {

/// Slots a spec may ask for in one mailbag (`mail` + `freed`): far past the
/// 4096-slot KEY limit, for mbgsplit's tests; records past slot 4095 have no
/// KEY bit, so they are live.
inline constexpr std::uint32_t kMaxMailbagSlots = 1'000'000;

/// Where a user's freed slots go among its live ones (`freed-at=`):
/// alternate (the default): one after each of the first live slots
/// (live, freed, live, freed, ...), any left over at the end; end: after
/// every live slot; start: before every live slot; spread: evenly among the
/// slots below min(slots, 4096), as a mailbag looks after deletions.
enum class FreedAt { alternate, end, spread, start };

/// A local account (`user NAME ["Full Name"] [mail=N] [freed=N] [freed-at=WHERE] [pal=N] [deleted]`).
struct UserSpec {
    std::string name;         // mailbox name, ASCII, 1..10 chars
    std::string full_name;    // 0..30 chars; empty = same as name
    std::uint32_t mail = 0;   // live headers in its mailbag (one new message each)
    std::uint32_t freed = 0;  // freed slots (KEY bit set) holding stale bytes; all below slot 4096
    std::uint32_t pal = 0;    // entries in its personal address list (0 = none)
    bool deleted = false;     // deleted account: keeps its slot, no mailbag files
    int line = 0;             // spec line (0 = generated)
    FreedAt freed_at = FreedAt::alternate;
};

/// A postoffice group (`group NAME MEMBER...`); members are local mailbox names.
struct GroupSpec {
    std::string name;
    std::vector<std::string> members;
    int line = 0;
};

/// An external postoffice (`external NET/PO [users=N] [mail=N]`).
struct ExternalSpec {
    std::string network;      // 1..10 chars
    std::string postoffice;   // 1..10 chars
    std::uint32_t users = 0;  // entries in its USR file and in NETPO.GLB/ADMIN.NME
    std::uint32_t mail = 0;   // headers queued in its outbound mailbag
    int line = 0;
};

/// One message to several local users (`message FROM TO... ["subject"]`): one
/// MAI referenced by each recipient's mailbag.
struct MessageSpec {
    std::string from;
    std::vector<std::string> to;
    std::string subject;
    int line = 0;
};

/// A file in P1 (`p1 NAME [age=D] [size=N]`, `lock NAME [age=D] [size=N]`,
/// `queued 8HEX [age=D] [size=N] [freed]`; `p1-many` adds many envelopes).
struct P1Spec {
    enum class Kind { envelope, lock, queued } kind = Kind::envelope;
    std::string name;        // file name in P1 (queued: the 8-hex number; the file is <8hex>.P1)
    std::int64_t age_s = 0;  // seconds before `now`
    int line = 0;
    std::optional<std::uint32_t> size;  // bytes of pseudo-random content (default: 96..255, a lock 8)
    bool freed = false;  // queued only: the INQUEUE3 slot is freed (KEY bit set), so nothing queues it
};

/// A damage request (`damage KIND [ARG...]`, or `--damage KIND[:ARG,...]`).
struct DamageSpec {
    std::string kind;
    std::vector<std::string> args;
    int line = 0;
};

struct Spec {
    std::optional<std::uint64_t> seed;   // `seed N`
    std::optional<std::int64_t> now;     // `now EPOCH-SECONDS` or `now 1999-12-31T12:00:00Z`
    std::optional<std::uint32_t> users;  // `users N`: pad with generated accounts up to N in total
    std::vector<UserSpec> accounts;
    std::vector<GroupSpec> groups;
    std::vector<ExternalSpec> externals;
    std::vector<MessageSpec> messages;
    std::vector<P1Spec> p1;
    std::vector<DamageSpec> damages;
};

/// Parses a spec. `source` names the text in error messages. Throws
/// Error{usage} "<source>:<line>: <what>" on the first bad line; never opens a file.
Spec parse_spec(std::string_view text, const std::string& source = "spec");

/// Parses a duration: "90" or "90s", "5m", "3h", "2d", "1w". nullopt if malformed.
/// Reads a spec file (at most 16 MiB) and parses it. Throws Error like
/// parse_spec, or Error{io/not_found} naming the file.
Spec load_spec_file(const std::filesystem::path& file);

std::optional<std::int64_t> parse_duration(std::string_view text);

/// Parses `now`: decimal seconds since the Unix epoch, or "YYYY-MM-DDTHH:MM:SSZ".
std::optional<std::int64_t> parse_time(std::string_view text);

/// Parses a command-line damage "KIND" or "KIND:ARG,ARG" into a DamageSpec (line 0).
DamageSpec parse_damage_option(std::string_view text);

/// The spec `pogen OUTDIR` uses: a few users, a group, an external postoffice,
/// shared messages, P1 files and locks.
std::string_view sample_spec_text();

/// The fixed default for `now` (1999-06-01T12:00:00Z), so output is reproducible.
inline constexpr std::int64_t kDefaultNow = 928238400;

}  // namespace mspo::pogen
