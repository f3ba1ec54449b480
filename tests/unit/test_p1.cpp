#include <catch2/catch.hpp>
#include <fcntl.h>
#if !defined(_WIN32)
#include <sys/file.h>
#endif
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <limits>

#include "mspo/base/error.hpp"
#include "mspo/checks/p1.hpp"
#include "mspo/format/mbg.hpp"
#include "mspo/safety/lock.hpp"
#include "test_support.hpp"

using namespace mspo;
namespace fs = std::filesystem;
using namespace mspo::test;

namespace {

constexpr std::int64_t kSec = 1'000'000'000;
constexpr std::int64_t kNow = 1'800'000'000LL * kSec;

P1Entry entry(const std::string& name, P1Kind kind, std::int64_t age_s, std::uint64_t size = 10) {
    P1Entry e;
    e.name = name;
    e.relpath = "P1/" + name;
    e.kind = kind;
    e.size = size;
    e.mtime_ns = kNow - age_s * kSec;
    return e;
}

P1Policy policy() {
    P1Policy p;
    p.now_ns = kNow;
    return p;
}

bool removes(const P1Cleanup& c, const std::string& rel) {
    return std::find(c.remove.begin(), c.remove.end(), rel) != c.remove.end();
}

}  // namespace

TEST_CASE("p1 plan: ages on the --days boundary", "[p1]") {
    P1Scan scan;
    const std::int64_t two_days = 2 * 86400;
    scan.entries = {entry("00000001.P1", P1Kind::file, two_days - 1),
                    entry("00000002.P1", P1Kind::file, two_days),
                    entry("00000003.P1", P1Kind::file, two_days + 1),
                    entry("00000004.P1", P1Kind::file, -3600)};  // dated in the future
    scan.entries.push_back(entry("POPULATE.MSM", P1Kind::populate, 400 * 86400));
    auto c = plan_p1_cleanup(scan, QueueState::trusted_with({}), policy());
    CHECK_FALSE(removes(c, "P1/00000001.P1"));
    CHECK_FALSE(removes(c, "P1/00000002.P1"));  // exactly N days is not older than N days
    CHECK(removes(c, "P1/00000003.P1"));
    CHECK_FALSE(removes(c, "P1/00000004.P1"));
    CHECK_FALSE(removes(c, "P1/POPULATE.MSM"));  // never, however old
    CHECK(c.remove.size() == 1);
    CHECK(c.remove_bytes == 10);
    CHECK(c.kept_files == 3);
}

TEST_CASE("p1 plan: --days changes the threshold", "[p1]") {
    P1Scan scan;
    scan.entries = {entry("00000001.P1", P1Kind::file, 3 * 3600)};
    auto p = policy();
    CHECK(plan_p1_cleanup(scan, QueueState::trusted_with({}), p).remove.empty());
    p.max_age = std::chrono::hours(1);
    CHECK(plan_p1_cleanup(scan, QueueState::trusted_with({}), p).remove.size() == 1);
}

TEST_CASE("p1 plan: fresh and stale locks", "[p1]") {
    P1Scan scan;
    scan.entries = {entry("0000002A.0LK", P1Kind::lock, 60), entry("LOCKP1ID.PBB", P1Kind::lock, 3600),
                    entry("0000002B.0LK", P1Kind::lock, 7200)};
    std::map<std::string, std::string> held{{"P1/0000002B.0LK", "pid 77"}};
    auto c = plan_p1_cleanup(scan, QueueState::trusted_with({}), policy(), held);
    CHECK(c.fresh_locks == std::vector<std::string>{"P1/0000002A.0LK", "P1/0000002B.0LK"});
    CHECK(c.remove == std::vector<std::string>{"P1/LOCKP1ID.PBB"});
    int fresh = 0, stale = 0;
    for (const auto& f : c.findings) {
        fresh += f.check == "p1.lock-fresh";
        stale += f.check == "p1.lock-stale";
    }
    CHECK(fresh == 2);
    CHECK(stale == 1);
}

TEST_CASE("p1 plan: queued envelopes are kept unless --include-queued", "[p1]") {
    P1Scan scan;
    scan.entries = {entry("0000AB12.P1", P1Kind::file, 5 * 86400),
                    entry("0000AB13.P1", P1Kind::file, 5 * 86400)};
    std::map<std::uint32_t, std::uint64_t> queued{{0xAB12, 3}};
    auto c = plan_p1_cleanup(scan, QueueState::trusted_with(queued), policy());
    CHECK(c.remove == std::vector<std::string>{"P1/0000AB13.P1"});
    REQUIRE(std::any_of(c.findings.begin(), c.findings.end(), [](const Finding& f) {
        return f.check == "p1.queued" && f.file == "P1/0000AB12.P1" && f.severity == Severity::warning;
    }));
    auto p = policy();
    p.include_queued = true;
    CHECK(plan_p1_cleanup(scan, QueueState::trusted_with(queued), p).remove.size() == 2);
}

TEST_CASE("p1 plan: missing P1 and POPULATE.MSM are re-created", "[p1]") {
    P1Scan missing;
    missing.p1_missing = true;
    missing.populate_missing = true;
    auto c = plan_p1_cleanup(missing, QueueState::trusted_with({}), policy());
    CHECK(c.create_p1);
    CHECK(c.create_populate);
    P1Scan no_populate;
    no_populate.populate_missing = true;
    auto d = plan_p1_cleanup(no_populate, QueueState::trusted_with({}), policy());
    CHECK_FALSE(d.create_p1);
    CHECK(d.create_populate);
    CHECK(d.findings.at(0).check == "p1.populate-missing");
}

TEST_CASE("p1 envelope_number", "[p1]") {
    CHECK(envelope_number("0000AB12.P1") == 0xAB12u);
    CHECK(envelope_number("0000ab12.pbc") == 0xAB12u);
    CHECK_FALSE(envelope_number("0000AB12.0LK"));
    CHECK_FALSE(envelope_number("POPULATE.MSM"));
    CHECK_FALSE(envelope_number("0000AB1Z.P1"));
}

TEST_CASE("p1 scan: classifies entries and never follows links", "[p1][makes-links]") {
    TempDir t("p1");
    fs::create_directories(t.path / "po" / "p1" / "SUB");
    std::ofstream(t.path / "po" / "p1" / "populate.msm").put('x');
    std::ofstream(t.path / "po" / "p1" / "0000AB12.P1") << "envelope";
    std::ofstream(t.path / "po" / "p1" / "00000001.0LK").put('l');
    std::ofstream(t.path / "outside.txt") << "outside";
    fs::create_symlink(t.path / "outside.txt", t.path / "po" / "p1" / "0000FFFF.P1");
    Postoffice po(t.path / "po");
    auto scan = scan_p1(po);
    CHECK_FALSE(scan.populate_missing);
    CHECK(scan.p1_relpath == "p1");
    std::map<std::string, P1Kind> kinds;
    for (const auto& e : scan.entries) kinds[e.name] = e.kind;
    CHECK(kinds["populate.msm"] == P1Kind::populate);
    CHECK(kinds["0000AB12.P1"] == P1Kind::file);
    CHECK(kinds["00000001.0LK"] == P1Kind::lock);
    CHECK(kinds["0000FFFF.P1"] == P1Kind::not_regular);
    CHECK(kinds["SUB"] == P1Kind::not_regular);
}

TEST_CASE("p1 scan: a P1 that is a link is refused", "[p1][makes-links]") {
    TempDir t("p1");
    fs::create_directories(t.path / "po");
    fs::create_directories(t.path / "elsewhere");
    fs::create_directory_symlink(t.path / "elsewhere", t.path / "po" / "P1");
    Postoffice po(t.path / "po");
    try {
        scan_p1(po);
        FAIL("no error");
    } catch (const Error& e) { CHECK(e.code() == Errc::unsafe_path); }
}

TEST_CASE("p1 scan: missing P1", "[p1]") {
    TempDir t("p1");
    fs::create_directories(t.path / "po");
    auto scan = scan_p1(Postoffice(t.path / "po"));
    CHECK(scan.p1_missing);
    CHECK(scan.populate_missing);
}

// ---- trusting the queue (read_queue) ----

namespace {

// A queue header naming `number` (8 hex digits) in its number field.
MbgRecord header(const std::string& number) {
    MbgRecord r;
    r.set_sender("ALICE");
    r.set_subject("queued");
    std::copy(number.begin(), number.end(), r.raw.begin() + MbgRecord::kMai);
    return r;
}

Bytes queue_bytes(const std::vector<MbgRecord>& records) { return encode_mbg(records); }

struct QueuePo : TempPoDir {
    QueuePo() : TempPoDir("p1q", {"P1", "MBG", "KEY", "GLB"}) {}
    void queue(const Bytes& b) const { write_bytes(po() / "MBG" / "INQUEUE3.MBG", b); }
    void key_deleting(std::initializer_list<std::size_t> slots) const {
        KeyFile k;
        for (auto s : slots) k.set_slot_deleted(s, true);
        write_bytes(po() / "KEY" / "INQUEUE3.KEY", k.to_bytes());
    }
    QueueState read() const { return read_queue(Postoffice(po())); }
};

}  // namespace

TEST_CASE("p1 read_queue: an empty or whole queue is trusted", "[p1][queue]") {
    QueuePo t;
    t.queue({});
    auto q = t.read();
    CHECK(q.trusted);
    CHECK(q.queued.empty());
    CHECK(q.problem.empty());
    t.queue(queue_bytes({header("0000AB12"), header("0000AB13"), header("0000AB12")}));
    q = t.read();
    CHECK(q.trusted);
    CHECK(q.queued == std::map<std::uint32_t, std::uint64_t>{{0xAB12, 0}, {0xAB13, 1}});
    CHECK_FALSE(q.may_queue(0xAB14));
    CHECK(q.may_queue(0xAB13));
}

TEST_CASE("p1 read_queue: slots the KEY marks deleted and all-zero records name nothing", "[p1][queue]") {
    QueuePo t;
    MbgRecord bad = header("ZZZZZZZZ");
    t.queue(queue_bytes({header("0000AB12"), bad, MbgRecord{}}));
    t.key_deleting({0, 1});
    auto q = t.read();
    CHECK(q.trusted);  // the bad header is in a deleted slot; the zero record is no header
    CHECK(q.queued.empty());
    // A damaged KEY (wrong size) makes every slot live: the bad header now counts.
    write_bytes(t.po() / "KEY" / "INQUEUE3.KEY", Bytes(100, 0xFF));
    q = t.read();
    CHECK_FALSE(q.trusted);
    CHECK(q.queued.count(0xAB12));
}

TEST_CASE("p1 read_queue: a missing queue trusts nothing", "[p1][queue]") {
    QueuePo t;
    auto q = t.read();
    CHECK_FALSE(q.trusted);
    CHECK_FALSE(q.names_known);
    CHECK(q.may_queue(0x1234));
    CHECK(q.problem.find("missing") != std::string::npos);
    CHECK_FALSE(q.offset);
    REQUIRE(mspo::test::remove_tree(t.po() / "MBG"));
    CHECK_FALSE(t.read().trusted);
}

TEST_CASE("p1 read_queue: a partial record's number counts when it can be read", "[p1][queue]") {
    QueuePo t;
    Bytes b = queue_bytes({header("0000AB12"), header("0000AB13")});
    const MbgRecord cut = header("0000CD01");
    SECTION("the number field is whole") {
        b.insert(b.end(), cut.raw.begin(), cut.raw.begin() + MbgRecord::kMai + 8);
        t.queue(b);
        auto q = t.read();
        CHECK_FALSE(q.trusted);
        CHECK(q.names_known);  // every number it may name is known
        CHECK(q.queued.count(0xCD01));
        CHECK(q.queued.at(0xCD01) == 2);
        CHECK(q.record == 2u);
        CHECK(q.offset == 2u * MbgRecord::size);
        CHECK(q.problem.find("ends inside record 2") != std::string::npos);
        CHECK_FALSE(q.may_queue(0x9999));
    }
    SECTION("the number field is cut") {
        b.insert(b.end(), cut.raw.begin(), cut.raw.begin() + MbgRecord::kMai + 4);
        t.queue(b);
        auto q = t.read();
        CHECK_FALSE(q.trusted);
        CHECK_FALSE(q.names_known);  // which envelope it named is lost: any may be queued
        CHECK(q.may_queue(0x9999));
        CHECK(q.offset == 2u * MbgRecord::size);
    }
    SECTION("the partial bytes are zero") {
        b.insert(b.end(), 40, 0);
        t.queue(b);
        auto q = t.read();
        CHECK_FALSE(q.trusted);
        CHECK(q.names_known);
        CHECK(q.queued.size() == 2);
    }
    SECTION("the KEY marks the partial slot deleted") {
        b.insert(b.end(), cut.raw.begin(), cut.raw.begin() + 20);
        t.queue(b);
        t.key_deleting({2});
        auto q = t.read();
        CHECK_FALSE(q.trusted);
        CHECK(q.names_known);
    }
}

TEST_CASE("p1 read_queue: a live header with no envelope number trusts nothing", "[p1][queue]") {
    QueuePo t;
    t.queue(queue_bytes({header("0000AB12"), header("0000AB1Z"), header("0000AB14")}));
    auto q = t.read();
    CHECK_FALSE(q.trusted);
    CHECK_FALSE(q.names_known);
    CHECK(q.record == 1u);
    CHECK(q.offset == MbgRecord::size + MbgRecord::kMai);
    CHECK(q.queued.count(0xAB14));  // the rest is still read, for the messages
}

TEST_CASE("p1 read_queue: a queue far over the limit is not read", "[p1][queue]") {
    QueuePo t;
    t.queue({});
    fs::resize_file(t.po() / "MBG" / "INQUEUE3.MBG", 2'000'000'000);  // sparse: 2 GB of zeros
    auto q = t.read();
    CHECK_FALSE(q.trusted);
    CHECK_FALSE(q.names_known);
    CHECK(q.record == kMailbagLimit);
    CHECK(q.offset == kMailbagLimit * MbgRecord::size);
    CHECK(q.problem.find("far over the limit") != std::string::npos);
}

TEST_CASE("p1 read_queue: up to twice the limit is read whole, every slot past 4096 live", "[p1][queue]") {
    QueuePo t;
    std::vector<MbgRecord> records(kMailbagLimit + 10, header("00000001"));
    records.back() = header("0000BEEF");
    t.queue(queue_bytes(records));
    t.key_deleting({0});
    auto q = t.read();
    CHECK(q.trusted);
    CHECK(q.queued.at(0xBEEF) == kMailbagLimit + 9);
    records.resize(kQueueReadLimit + 1);
    t.queue(queue_bytes(records));
    CHECK_FALSE(t.read().trusted);
}

TEST_CASE("p1 read_queue: a queue that is not a regular file trusts nothing", "[p1][queue][makes-links]") {
    QueuePo t;
    SECTION("a folder") { fs::create_directory(t.po() / "MBG" / "INQUEUE3.MBG"); }
    SECTION("a link") {
        write_bytes(t.path / "elsewhere.MBG", queue_bytes({header("0000AB12")}));
        fs::create_symlink(t.path / "elsewhere.MBG", t.po() / "MBG" / "INQUEUE3.MBG");
    }
    auto q = t.read();
    CHECK_FALSE(q.trusted);
    CHECK_FALSE(q.names_known);
    CHECK(q.queued.empty());
    CHECK(q.problem.find("cannot be read") != std::string::npos);
}

// ---- the plan against an untrusted queue ----

namespace {

QueueState untrusted(std::map<std::uint32_t, std::uint64_t> queued, bool names_known) {
    QueueState q;
    q.queued = std::move(queued);
    q.names_known = names_known;
    q.problem = "the queue ends inside record 7 (30 bytes of 116)";
    q.record = 7;
    q.offset = 7 * MbgRecord::size;
    return q;
}

const Finding* find(const P1Cleanup& c, const std::string& check, const std::string& file = "") {
    for (const auto& f : c.findings)
        if (f.check == check && (file.empty() || f.file == file)) return &f;
    return nullptr;
}

}  // namespace

TEST_CASE("p1 plan: a queue that cannot tell keeps every stale envelope, and says why", "[p1][queue]") {
    P1Scan scan;
    scan.entries = {entry("0000AB12.P1", P1Kind::file, 5 * 86400),
                    entry("0000AB13.PBC", P1Kind::file, 5 * 86400), entry("0000AB14.P1", P1Kind::file, 3600),
                    entry("00000001.MAX", P1Kind::file, 5 * 86400),
                    entry("0000AB15.P1.mspo-tmp.1.2", P1Kind::file, 5 * 86400)};
    auto c = plan_p1_cleanup(scan, untrusted({}, false), policy());
    CHECK(c.remove == std::vector<std::string>{"P1/00000001.MAX", "P1/0000AB15.P1.mspo-tmp.1.2"});
    CHECK(c.kept_for_queue == 2);
    REQUIRE(find(c, "p1.maybe-queued", "P1/0000AB12.P1"));
    CHECK(find(c, "p1.maybe-queued", "P1/0000AB12.P1")->severity == Severity::warning);
    REQUIRE(find(c, "p1.maybe-queued", "P1/0000AB13.PBC"));
    CHECK_FALSE(find(c, "p1.maybe-queued", "P1/0000AB14.P1"));  // young: kept for its age
    const Finding* damage = find(c, "p1.queue-damaged");
    REQUIRE(damage);
    CHECK(damage->severity == Severity::error);  // the run exits 4
    CHECK(damage->file == "MBG/INQUEUE3.MBG");
    CHECK(damage->record == 7u);
    CHECK(damage->offset == 7u * MbgRecord::size);
    CHECK(damage->message.find("2 stale envelopes kept") != std::string::npos);
    CHECK_FALSE(damage->fixed);

    auto p = policy();
    p.include_queued = true;  // the user accepts NDRs: the queue does not matter
    auto d = plan_p1_cleanup(scan, untrusted({}, false), p);
    CHECK(d.remove.size() == 4);
    CHECK_FALSE(find(d, "p1.queue-damaged"));
}

TEST_CASE("p1 plan: a truncated queue whose numbers are known keeps only those", "[p1][queue]") {
    P1Scan scan;
    scan.entries = {entry("0000AB12.P1", P1Kind::file, 5 * 86400),
                    entry("0000AB13.P1", P1Kind::file, 5 * 86400)};
    auto c = plan_p1_cleanup(scan, untrusted({{0xAB12, 7}}, true), policy());
    CHECK(c.remove == std::vector<std::string>{"P1/0000AB13.P1"});
    REQUIRE(find(c, "p1.queued", "P1/0000AB12.P1"));
    REQUIRE(find(c, "p1.queue-damaged"));
    CHECK(find(c, "p1.queue-damaged")->message.find("1 stale envelope kept") != std::string::npos);
    // Nothing kept for the queue: its damage does not change the cleanup, and is not p1clean's to report.
    scan.entries.erase(scan.entries.begin());
    auto d = plan_p1_cleanup(scan, untrusted({{0xAB12, 7}}, true), policy());
    CHECK(d.remove.size() == 1);
    CHECK_FALSE(find(d, "p1.queue-damaged"));
}

TEST_CASE("p1 plan: a default QueueState trusts nothing", "[p1][queue]") {
    P1Scan scan;
    scan.entries = {entry("0000AB12.P1", P1Kind::file, 5 * 86400)};
    CHECK(plan_p1_cleanup(scan, QueueState{}, policy()).remove.empty());
}

TEST_CASE("p1 plan: a held lock is reported held, a fresh one fresh", "[p1]") {
    P1Scan scan;
    scan.entries = {entry("0000002A.0LK", P1Kind::lock, 60), entry("0000002B.0LK", P1Kind::lock, 2 * 86400)};
    std::map<std::string, std::string> held{{"P1/0000002B.0LK", "shared flock() lock held by pid 77"}};
    auto c = plan_p1_cleanup(scan, QueueState::trusted_with({}), policy(), held);
    CHECK(c.fresh_locks.size() == 2);  // both refuse
    const Finding* fresh = find(c, "p1.lock-fresh", "P1/0000002A.0LK");
    const Finding* two_days = find(c, "p1.lock-fresh", "P1/0000002B.0LK");
    REQUIRE(fresh);
    REQUIRE(two_days);
    CHECK(fresh->message.find("fresh") != std::string::npos);
    CHECK(fresh->message.find("held") == std::string::npos);
    CHECK(two_days->message.find("held by another process (shared flock() lock held by pid 77, 2d 0h old)") !=
          std::string::npos);
    CHECK(two_days->message.find("fresh") == std::string::npos);
}

TEST_CASE("p1 plan: verbose notes say why each file stays", "[p1]") {
    P1Scan scan;
    scan.entries = {entry("POPULATE.MSM", P1Kind::populate, 400 * 86400),
                    entry("00000001.P1", P1Kind::file, 3600),
                    entry("0000AB12.P1", P1Kind::file, 5 * 86400),
                    entry("SUB", P1Kind::not_regular, 9 * 86400),
                    entry("0000002A.0LK", P1Kind::lock, 60),
                    entry("00000002.P1", P1Kind::file, 5 * 86400)};
    auto p = policy();
    CHECK(plan_p1_cleanup(scan, QueueState::trusted_with({{0xAB12, 0}}), p).kept_notes.empty());
    p.verbose = true;
    auto c = plan_p1_cleanup(scan, QueueState::trusted_with({{0xAB12, 0}}), p);
    std::map<std::string, std::string> why;
    for (const auto& f : c.kept_notes) {
        CHECK(f.check == "p1.kept");
        CHECK(f.severity == Severity::info);
        why[f.file] = f.message;
    }
    CHECK(why.size() == 5);  // every entry but the one removed
    CHECK(why["P1/POPULATE.MSM"].find("POPULATE.MSM always stays") != std::string::npos);
    CHECK(why["P1/00000001.P1"].find("too young (1h 0m old") != std::string::npos);
    CHECK(why["P1/0000AB12.P1"].find("queued by MBG/INQUEUE3.MBG record 0") != std::string::npos);
    CHECK(why["P1/SUB"].find("not a regular file") != std::string::npos);
    CHECK(why["P1/0000002A.0LK"].find("fresh lock") != std::string::npos);
    CHECK(c.findings.size() ==
          plan_p1_cleanup(scan, QueueState::trusted_with({{0xAB12, 0}}), policy()).findings.size());
}

TEST_CASE("p1 plan: hostile file times do not overflow", "[p1]") {
    P1Scan scan;
    P1Entry old = entry("00000001.P1", P1Kind::file, 0);
    old.mtime_ns = std::numeric_limits<std::int64_t>::min();
    P1Entry future = entry("00000002.P1", P1Kind::file, 0);
    future.mtime_ns = std::numeric_limits<std::int64_t>::max();
    scan.entries = {old, future};
    auto p = policy();
    p.max_age = std::chrono::seconds(std::numeric_limits<std::int64_t>::max());  // clamped, not overflowed
    CHECK(plan_p1_cleanup(scan, QueueState::trusted_with({}), p).remove ==
          std::vector<std::string>{"P1/00000001.P1"});
    p.now_ns = std::numeric_limits<std::int64_t>::min();
    CHECK(plan_p1_cleanup(scan, QueueState::trusted_with({}), p).remove.empty());
}

// ---- the lock probe p1clean relies on (probe_file_lock over platform::probe_lock) ----

#if !defined(_WIN32)  // POSIX only: flock() and fcntl() locks
TEST_CASE("p1 lock probe: shared and exclusive flock locks are seen, and left as they were", "[p1][lock]") {
    TempDir t("p1lock");
    const fs::path f = t.path / "0000002B.0LK";
    write_text(f, "lock");
    CHECK_FALSE(probe_file_lock(f));
    for (const int mode : {LOCK_SH, LOCK_EX}) {
        const int fd = ::open(f.c_str(), O_RDONLY | O_CLOEXEC);
        REQUIRE(fd >= 0);
        REQUIRE(::flock(fd, mode) == 0);
        const auto seen = probe_file_lock(f);
        REQUIRE(seen);
        CHECK(seen->find(mode == LOCK_SH ? "shared flock() lock" : "exclusive flock() lock") !=
              std::string::npos);
        CHECK(seen->find("held by pid " + std::to_string(::getpid())) != std::string::npos);
        // The holder still holds it: a second shared lock works only if it was shared.
        const int other = ::open(f.c_str(), O_RDONLY | O_CLOEXEC);
        CHECK((::flock(other, LOCK_SH | LOCK_NB) == 0) == (mode == LOCK_SH));
        ::close(other);
        ::close(fd);
    }
    CHECK_FALSE(probe_file_lock(f));
    // The probe took no lock that outlives it.
    const int fd = ::open(f.c_str(), O_RDONLY | O_CLOEXEC);
    CHECK(::flock(fd, LOCK_EX | LOCK_NB) == 0);
    ::close(fd);
}
#endif

#if !defined(_WIN32)  // POSIX only: flock() and fcntl() locks
TEST_CASE("p1 lock probe: byte-range locks are seen", "[p1][lock]") {
    TempDir t("p1lock");
    const fs::path f = t.path / "00000003.P1";
    write_text(f, "envelope");
    const int fd = ::open(f.c_str(), O_RDWR | O_CLOEXEC);
    REQUIRE(fd >= 0);
    struct flock fl {};
    fl.l_type = F_RDLCK;
    fl.l_whence = SEEK_SET;
    fl.l_len = 4;
    REQUIRE(::fcntl(fd, F_OFD_SETLK, &fl) == 0);
    const auto seen = probe_file_lock(f);
    REQUIRE(seen);
    CHECK(seen->find("read lock on bytes 0+4") != std::string::npos);
    ::close(fd);
    CHECK_FALSE(probe_file_lock(f));
}
#endif

namespace {
/// Every member of two finding lists, compared.
void check_same_findings(const Findings& a, const Findings& b) {
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        INFO("finding " << i << ": " << a[i].file << ": " << a[i].message);
        CHECK(a[i].code == b[i].code);
        CHECK(a[i].severity == b[i].severity);
        CHECK(a[i].file == b[i].file);
        CHECK(a[i].record == b[i].record);
        CHECK(a[i].offset == b[i].offset);
        CHECK(a[i].message == b[i].message);
        CHECK(a[i].action == b[i].action);
        CHECK(a[i].fixed == b[i].fixed);
    }
}
}  // namespace

TEST_CASE("p1 plan: compact removals give the same findings in the same order when made later", "[p1]") {
    P1Scan scan;
    scan.populate_missing = true;  // a finding before every removal
    scan.entries = {entry("00000001.P1", P1Kind::file, 3 * 86400, 250),
                    entry("0000002A.0LK", P1Kind::lock, 60),
                    entry("0000002B.0LK", P1Kind::lock, 7200),
                    entry("0000AB12.P1", P1Kind::file, 5 * 86400, 300),
                    entry("SUB", P1Kind::not_regular, 9 * 86400),
                    entry("0000AB13.P1", P1Kind::file, 4 * 86400 + 7 * 3600),
                    entry("0000AB14.P1", P1Kind::file, 3600),
                    entry("LEFTOVER.MAX", P1Kind::file, 30 * 86400, 12)};
    for (const bool include_queued : {false, true})
        for (const auto& queue : {QueueState::trusted_with({{0xAB12, 9}}), untrusted({{0xAB12, 7}}, true),
                                  untrusted({}, false)}) {
            auto p = policy();
            p.include_queued = include_queued;
            const P1Cleanup full = plan_p1_cleanup(scan, queue, p);
            p.compact_removals = true;
            P1Cleanup compact = plan_p1_cleanup(scan, queue, p);
            CHECK(compact.remove == full.remove);
            CHECK(compact.remove_repairs == full.remove_repairs);
            CHECK(compact.create_repairs == full.create_repairs);
            REQUIRE(compact.removals.size() == compact.remove.size());
            CHECK(compact.findings.size() + compact.removals.size() == full.findings.size());
            for (std::size_t j = 0; j < compact.removals.size(); ++j)
                CHECK(compact.removals[j].at == full.remove_repairs[j]);
            std::vector<std::string> files = compact.remove;
            check_same_findings(all_p1_findings(compact, files), full.findings);
            CHECK(compact.findings.empty());
            CHECK(compact.removals.empty());
        }
    // Without compact removals there is nothing to put back.
    P1Cleanup full = plan_p1_cleanup(scan, QueueState::trusted_with({}), policy());
    CHECK(full.removals.empty());
    const Findings before = full.findings;
    std::vector<std::string> none;
    check_same_findings(all_p1_findings(full, none), before);
    // A file per removal, or nothing.
    auto p = policy();
    p.compact_removals = true;
    P1Cleanup compact = plan_p1_cleanup(scan, QueueState::trusted_with({}), p);
    std::vector<std::string> short_list(compact.removals.size() - 1);
    CHECK_THROWS_AS(all_p1_findings(compact, short_list), std::invalid_argument);
}
