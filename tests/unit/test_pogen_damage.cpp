#include <catch2/catch.hpp>

#include "mspo/format/control.hpp"
#include "mspo/base/error.hpp"
#include "mspo/pogen/damage.hpp"
#include "pogen_fixture.hpp"

using namespace mspo;
using namespace mspo::pogen;

namespace {
Tree damaged(std::string_view spec, const std::string& damage) {
    BuildOptions o;
    o.damages.push_back(parse_damage_option(damage));
    return build(parse_spec(spec), o);
}
}  // namespace

TEST_CASE("pogen_damage: every kind is documented and unique", "[pogen]") {
    std::set<std::string_view> names;
    for (const auto& k : damage_kinds()) {
        CHECK(names.insert(k.name).second);
        CHECK_FALSE(k.description.empty());
        CHECK(is_damage_kind(k.name));
    }
    CHECK_FALSE(is_damage_kind("explode"));
}

TEST_CASE("pogen_damage: bad arguments name the spec line", "[pogen]") {
    CHECK_THROWS_WITH(build(parse_spec("user A\ndamage bad-chars NOBODY\n")),
                      "spec line 2: damage bad-chars: no active account NOBODY");
    CHECK_THROWS_WITH(build(parse_spec("damage truncate GLB/NOPE.GLB\n")),
                      "spec line 1: damage truncate: the postoffice has no GLB/NOPE.GLB");
    CHECK_THROWS_WITH(build(parse_spec("damage truncate GLB/MASTER.GLB x\n")),
                      "spec line 1: damage truncate: 'x' is not a number");
    CHECK_THROWS_WITH(build(parse_spec("damage nme-shadow sideways\n")),
                      "spec line 1: damage nme-shadow: expected bytes, size or mtime");
    CHECK_THROWS_WITH(build(parse_spec("damage dup-filenum external\n")),
                      "spec line 1: damage dup-filenum: needs an external postoffice");
    CHECK_THROWS_WITH(damaged("", "p1-stale:X.P1,soon"), "damage p1-stale: 'soon' is not a duration");
}

TEST_CASE("pogen_damage: fresh numbers move CONTROL.GLB on", "[pogen]") {
    const Tree clean = build(parse_spec("user A\n"));
    const Tree t = damaged("user A\n", "key-orphan");
    const auto before = ControlFile::from_bytes(clean.at("GLB/CONTROL.GLB").data);
    const auto after = ControlFile::from_bytes(t.at("GLB/CONTROL.GLB").data);
    CHECK(after->next_mailbag() == before->next_mailbag() + 1);
    CHECK(t.has("KEY/" + format_hex8(before->next_mailbag()) + ".KEY"));
}

TEST_CASE("pogen_damage: truncate and size-rule change only the file named", "[pogen]") {
    const Tree clean = build(parse_spec("user A\n"));
    const Tree t = damaged("user A\n", "truncate:GLB/ACCESS2.GLB,3");
    CHECK(t.at("GLB/ACCESS2.GLB").data.size() == clean.at("GLB/ACCESS2.GLB").data.size() - 3);
    CHECK(t.at("GLB/ACCESS.GLB").data == clean.at("GLB/ACCESS.GLB").data);
    const Tree g = damaged("user A\n", "size-rule:glb/tid.glb,2");
    CHECK(g.at("GLB/TID.GLB").data.size() == 6);
}

TEST_CASE("pogen_damage: P1 kinds add files with their ages", "[pogen]") {
    const Tree t = damaged("", "lock-stale:00000000.0LK,2h");
    CHECK(t.at("P1/00000000.0LK").mtime == kDefaultNow - 7200);
    const Tree q = damaged("", "queued:0000ABCD");
    CHECK(q.has("P1/0000ABCD.P1"));
    CHECK(q.has("MAI/MAD/0000ABCD.MAI"));
    CHECK(q.at("MBG/INQUEUE3.MBG").data.size() == 116);
    CHECK(ControlFile::from_bytes(q.at("GLB/CONTROL.GLB").data)->next_letter() == 0xABCEu);
}

namespace {
std::string usage_error_of(std::string_view spec, const std::string& damage) {
    try {
        if (damage.empty())
            build(parse_spec(spec));
        else
            damaged(spec, damage);
    } catch (const Error& e) {
        if (e.code() == Errc::usage) return e.what();
        return std::string("not a usage error: ") + e.what();
    }
    return "no error";
}
}  // namespace

TEST_CASE("pogen_damage: names that become file names stay inside OUTDIR", "[pogen]") {
    // issue 8 item 18: a damage argument with '..', '/' or '\' is refused,
    // naming the value, before anything is written.
    for (const std::string kind : {"p1-stale", "p1-fresh", "lock-stale", "lock-fresh"}) {
        for (const std::string name :
             {"../../ESCAPE.P1", "..", ".", "../X", "A/B.P1", "/tmp/ABS.P1", "A\\B.P1"}) {
            INFO(kind << ":" << name);
            const std::string what = usage_error_of("", kind + ":" + name);
            CHECK(what.find("damage " + kind + ": '" + name + "' is not a file name") != std::string::npos);
        }
    }
    CHECK(usage_error_of("", "lock-stale:,2h").find("'' is not a file name") != std::string::npos);
    // A name with dots inside is one file name, and stays in P1.
    const Tree t = damaged("", "p1-stale:A..B.P1");
    CHECK(t.has("P1/A..B.P1"));
}

TEST_CASE("pogen_damage: FILE and DIR arguments stay inside the postoffice", "[pogen]") {
    const std::vector<std::string> bad = {"truncate:../GLB/MASTER.GLB",
                                          "size-rule:/etc/passwd,1",
                                          "glb-missing:GLB/../GLB/TID.GLB",
                                          "missing-dir:..",
                                          "not-dir:../HLP",
                                          "access-count:GLB/./ACCESS3.GLB",
                                          "truncate:GLB//MASTER.GLB",
                                          "not-dir:/tmp",
                                          "missing-dir:MAI\\MA0"};
    for (const auto& d : bad) {
        INFO(d);
        const std::string value = d.substr(d.find(':') + 1, d.find(',') - d.find(':') - 1);
        const std::string what = usage_error_of("user A\n", d);
        CHECK(what.find("'" + value + "' is not a path inside the postoffice") != std::string::npos);
    }
}

TEST_CASE("pogen_damage: spec lines with '..' or '/' are refused", "[pogen]") {
    CHECK(usage_error_of("damage p1-stale ../../ESCAPE\n", "") ==
          "spec line 1: damage p1-stale: '../../ESCAPE' is not a file name: pogen writes only inside OUTDIR "
          "(no '/', '\\', '..' or empty name)");
    CHECK(
        usage_error_of("user A\ndamage truncate ../X 1\n", "").find("spec line 2: damage truncate: '../X'") ==
        0);
    CHECK(usage_error_of("lock ../X.0LK\n", "").find("is not an 8.3 file name") != std::string::npos);
    CHECK(usage_error_of("p1 A/B\n", "").find("is not an 8.3 file name") != std::string::npos);
    CHECK(usage_error_of("p1 ..\n", "").find("is not an 8.3 file name") != std::string::npos);
}

TEST_CASE("pogen_damage: an MBG that is not a regular file", "[pogen]") {
    constexpr std::string_view kSpec = "user ADMIN\nuser B\n";  // B's mailbag is 00000001
    const Tree folder = damaged(kSpec, "mbg-folder:B");
    CHECK_FALSE(folder.has("MBG/00000001.MBG"));
    CHECK(folder.dirs.count("MBG/00000001.MBG") == 1);
    const Tree fifo = damaged(kSpec, "mbg-fifo");
    CHECK(fifo.at("MBG/00000001.MBG").kind == TreeFile::Kind::fifo);
    const Tree out = damaged(kSpec, "mbg-symlink-out");
    CHECK(out.at("MBG/00000001.MBG").kind == TreeFile::Kind::symlink);
    CHECK(out.at("MBG/00000001.MBG").target == "/dev/null");
    const Tree dangling = damaged(kSpec, "mbg-dangling:B");
    CHECK(dangling.at("MBG/00000001.MBG").kind == TreeFile::Kind::symlink);
    CHECK(dangling.at("MBG/00000001.MBG").target == "NO-SUCH.MBG");
    CHECK(usage_error_of(kSpec, "mbg-fifo:NOBODY") == "damage mbg-fifo: no active account NOBODY");
}

TEST_CASE("pogen_damage: docs/POGEN.md lists every damage kind", "[pogen][docs]") {
    const auto doc = std::filesystem::path(MSPO_TEST_DATA).parent_path().parent_path() / "docs" / "POGEN.md";
    const auto bytes = pogen_fixture::read_bytes(doc);
    const std::string text(bytes.begin(), bytes.end());
    std::set<std::string> documented;
    const std::string row = "\n| `";
    for (auto at = text.find(row, text.find("## Damage kinds")); at != std::string::npos;
         at = text.find(row, at + 1)) {
        const auto start = at + row.size();
        documented.insert(text.substr(start, text.find('`', start) - start));
    }
    std::set<std::string> kinds;
    for (const auto& k : damage_kinds()) kinds.emplace(k.name);
    CHECK(documented == kinds);
}
