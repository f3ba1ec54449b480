#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "mspo/base/error.hpp"
#include "mspo/safety/snapshot_manifest.hpp"
#include "test_support.hpp"

using namespace mspo;

namespace {
/// A present file's state (mode and owner unset).
FileState present(std::uint64_t size, std::int64_t mtime_ns, std::uint32_t crc,
                  std::optional<std::uint32_t> mode = std::nullopt) {
    FileState s;
    s.present = true;
    s.size = size;
    s.mtime_ns = mtime_ns;
    s.crc32 = crc;
    s.mode = mode;
    return s;
}
FileState owned(FileState s, std::uint32_t uid, std::uint32_t gid) {
    s.uid = uid;
    s.gid = gid;
    return s;
}
FileState folder() {
    FileState s;
    s.present = true;
    s.folder = true;
    return s;
}
Manifest sample() {
    Manifest m;
    m.tool = "p1clean";
    m.created = "2026-01-01T00:00:00Z";
    m.created_ns = 1'767'225'600'000'000'000;
    m.postoffice = "/srv/MAILDATA";
    m.postoffice_id = 0xCAFEF00D;
    m.host = "vm";
    m.pid = 4242;
    m.files.push_back({"P1/0000002A.P1", owned(present(8, 5, 0xDEADBEEF, 0400), 1000, 100), FileState{}});
    m.files.push_back({"P1/NEW.P1", {}, folder()});
    m.files.push_back({"P1/UNKNOWN.P1", owned(present(0, -7, 0, 0644), 0, 0), std::nullopt});
    m.dirs.emplace_back("P1", 123);
    return m;
}
std::string text_of(const Manifest& m) { return manifest_to_json(m); }
}  // namespace

TEST_CASE("snapshot_manifest: every field round-trips", "[snapshot_manifest]") {
    const Manifest m = sample();
    const Manifest back = manifest_from_json(text_of(m));
    CHECK(text_of(back) == text_of(m));
    CHECK(back.version == kManifestVersion);
    CHECK(back.postoffice_id == 0xCAFEF00Du);
    REQUIRE(back.files.size() == 3);
    CHECK(back.files[0].before.mode == 0400u);
    CHECK(back.files[0].before.uid == 1000u);
    CHECK(back.files[0].before.gid == 100u);
    CHECK(back.files[0].after);
    CHECK_FALSE(back.files[0].after->present);
    CHECK_FALSE(back.files[2].after);
    CHECK(back.files[2].before.mtime_ns == -7);
    CHECK(back.files[1].after->folder);
    CHECK_FALSE(back.files[0].before.folder);
    CHECK(back.dirs == m.dirs);
    // The stream reader gives the same manifest.
    std::istringstream in(text_of(m));
    CHECK(text_of(manifest_from_json(in)) == text_of(m));
}

TEST_CASE("snapshot_manifest: the stream reader can hand each file on instead of keeping it",
          "[snapshot_manifest]") {
    const Manifest m = sample();
    std::istringstream in(text_of(m));
    std::vector<ManifestEntry> handed;
    const Manifest header =
        manifest_from_json(in, [&](ManifestEntry&& f) { handed.push_back(std::move(f)); });
    CHECK(header.files.empty());  // nothing kept
    CHECK(handed == m.files);     // every file, in order, every field
    CHECK(header.tool == m.tool);
    CHECK(header.postoffice_id == m.postoffice_id);
    CHECK(header.dirs == m.dirs);
    Manifest whole = header;
    whole.files = handed;
    CHECK(text_of(whole) == text_of(m));
    // Damage is still an Error{snapshot}, wherever it is.
    std::string bad = text_of(m);
    bad.replace(bad.find("\"crc32\""), 7, "\"crc33\"");
    std::istringstream in_bad(bad);
    CHECK(test::code_of([&] { manifest_from_json(in_bad, [](ManifestEntry&&) {}); }) == Errc::snapshot);
}

TEST_CASE("snapshot_manifest: FileState and ManifestEntry compare every member", "[snapshot_manifest]") {
    const Manifest m = sample();
    ManifestEntry e = m.files[0];
    CHECK(e == m.files[0]);
    e.before.uid = 1001;
    CHECK_FALSE(e == m.files[0]);
    CHECK(e.before.same_content(m.files[0].before));  // same_content ignores the owner; == does not
    e = m.files[0];
    e.after->present = true;
    CHECK_FALSE(e == m.files[0]);
    e = m.files[0];
    e.path = "p1/0000002A.P1";  // names are bytes: case matters
    CHECK_FALSE(e == m.files[0]);
}

TEST_CASE("snapshot_manifest: a name that is not UTF-8 round-trips as path + path_hex",
          "[snapshot_manifest]") {
    Manifest m = sample();
    const std::string latin1 = "P1/CAF\xC9.P1";       // Latin-1 E acute: not UTF-8
    const std::string broken = "P1/\xFF\xFE\x80.P1";  // no encoding at all
    const std::string utf8 = "P1/CAF\xC3\x89.P1";     // valid UTF-8: written as is
    const std::string control = "P1/\x1B[31m.P1";     // ESC: valid UTF-8, JSON-escaped
    for (const auto& name : {latin1, broken, utf8, control})
        m.files.push_back({name, present(1, 2, 3, 0600), std::nullopt});
    m.postoffice =
        "/srv/MAIL\xA0"
        "DATA";
    m.dirs.emplace_back("P1/\xE9", 5);
    const std::string text = text_of(m);
    INFO(text);
    // The text is valid UTF-8 JSON that any parser accepts.
    CHECK(is_valid_utf8(text));
    const auto j = nlohmann::json::parse(text);
    CHECK(j.at("postoffice_hex") == "2f7372762f4d41494ca044415441");
    CHECK(j.at("postoffice") ==
          "/srv/MAIL\xEF\xBF\xBD"
          "DATA");
    const auto& files = j.at("files");
    CHECK(files[3].at("path_hex") == "50312f434146c92e5031");
    CHECK(files[3].at("path") == "P1/CAF\xEF\xBF\xBD.P1");  // readable form: U+FFFD for the bad byte
    CHECK_FALSE(files[5].contains("path_hex"));
    CHECK(files[5].at("path") == utf8);
    CHECK(files[6].at("path") == control);
    CHECK(text.find("\\u001b") != std::string::npos);
    // And every byte comes back.
    const Manifest back = manifest_from_json(text);
    CHECK(back.postoffice == m.postoffice);
    CHECK(back.files[3].path == latin1);
    CHECK(back.files[4].path == broken);
    CHECK(back.files[5].path == utf8);
    CHECK(back.files[6].path == control);
    CHECK(back.dirs.back().first == "P1/\xE9");
    CHECK(text_of(back) == text);
}

TEST_CASE("snapshot_manifest: path_hex is authoritative and must be hex", "[snapshot_manifest]") {
    auto with_file = [](const std::string& file) {
        return R"({"format": "mspo-snapshot", "version": 2, "tool": "p1clean", "created": "x", "created_ns": 1,
                   "postoffice": "/p", "files": [)" +
               file + "]}";
    };
    const std::string state = R"("before": {"present": false}, "after": null)";
    CHECK(manifest_from_json(with_file(R"({"path": "ignored", "path_hex": "50312f41", )" + state + "}"))
              .files[0]
              .path == "P1/A");
    CHECK(
        manifest_from_json(with_file(R"({"path": "x", "path_hex": "5031", )" + state + "}")).files[0].path ==
        "P1");
    for (const char* bad : {R"({"path": "x", "path_hex": "503", )", R"({"path": "x", "path_hex": "zz", )",
                            R"({"path": "x", "path_hex": 5, )", R"({"path": 7, )", R"({)"}) {
        INFO(bad);
        CHECK(test::code_of([&] { manifest_from_json(with_file(bad + state + "}")); }) == Errc::snapshot);
    }
}

TEST_CASE("snapshot_manifest: bad members are Error{snapshot}, never a JSON exception",
          "[snapshot_manifest]") {
    const std::string good = text_of(sample());
    auto replaced = [&](const std::string& from, const std::string& to) {
        std::string t = good;
        const auto at = t.find(from);
        REQUIRE(at != std::string::npos);
        return t.replace(at, from.size(), to);
    };
    const std::vector<std::string> bad = {
        "",
        "{",
        "[]",
        "{\"format\":\"mspo-snapshot\",\"version\":99}",
        "{\"format\":\"mspo-snapshot\",\"version\":0}",
        replaced("\"format\": \"mspo-snapshot\"", "\"format\": \"tar\""),
        replaced("\"size\": 8", "\"size\": -8"),
        replaced("\"size\": 8", "\"size\": \"8\""),
        replaced("\"crc32\": 3735928559", "\"crc32\": 4294967296"),
        replaced("\"mode\": 256", "\"mode\": 65536"),
        replaced("\"present\": true", "\"present\": 1"),
        replaced("\"mtime_ns\": 5", "\"mtime_ns\": 5.5"),
        replaced("\"created_ns\": 1767225600000000000", "\"created_ns\": 99999999999999999999"),
        replaced("\"files\": [", "\"files\": {\"a\": ["),
        replaced("\"tool\": \"p1clean\"", "\"tool\": null"),
        replaced("\"postoffice_id\": 3405705229", "\"postoffice_id\": -1"),
        "{\"format\": \"mspo-snapshot\", \"version\": 2, \"tool\": \"t\", \"created\": \"c\", "
        "\"created_ns\": 1, "
        "\"postoffice\": \"/p\"}",  // no files
        good.substr(0, good.size() / 2),
        good + "x",
        std::string("{\"format\": \"mspo-snapshot\xFF\"}"),  // invalid UTF-8 in the JSON text itself
    };
    for (const auto& text : bad) {
        INFO(text);
        CHECK(test::code_of([&] { manifest_from_json(text); }) == Errc::snapshot);
        std::istringstream in(text);
        CHECK(test::code_of([&] { manifest_from_json(in); }) == Errc::snapshot);
    }
}

TEST_CASE("snapshot_manifest: version 1 manifests (no mode, owner or identity) are read",
          "[snapshot_manifest]") {
    const std::string v1 = R"({"created": "2026-11-24T22:15:00Z", "created_ns": 1795558500000000000,
        "dirs": [{"mtime_ns": 1795000000000000000, "path": "P1"}],
        "files": [{"after": {"present": false}, "before": {"crc32": 2325051496, "mtime_ns": 1795000000000000000,
                   "present": true, "size": 8}, "path": "P1/00000001.P1"}],
        "format": "mspo-snapshot", "host": "vm", "pid": 4242, "postoffice": "/srv/MAILDATA", "tool": "p1clean",
        "version": 1})";
    const Manifest m = manifest_from_json(v1);
    CHECK(m.version == 1);
    REQUIRE(m.files.size() == 1);
    CHECK_FALSE(m.files[0].before.mode);
    CHECK_FALSE(m.postoffice_id);
    CHECK(m.undoes.empty());
    CHECK(m.dirs.size() == 1);
}

TEST_CASE("snapshot_manifest: the writer streams one file entry per piece", "[snapshot_manifest]") {
    Manifest m = sample();
    for (int i = 0; i < 1000; ++i) m.files.push_back({"P1/F" + std::to_string(i), {}, std::nullopt});
    std::size_t pieces = 0, largest = 0;
    write_manifest_json(m, [&](std::string_view piece) {
        ++pieces;
        largest = std::max(largest, piece.size());
    });
    CHECK(pieces >= m.files.size());
    CHECK(largest < 1000);  // never the whole list at once
}

TEST_CASE("snapshot_manifest: deep nesting is refused at once and unknown lists are dropped",
          "[snapshot_manifest]") {
    // Found by tests/cli/porestore/cases/evil_manifest_nesting: 64 MiB of '['
    // in a manifest took porestore 5 GB and minutes.
    const std::vector<std::string> deep = {std::string(1 << 20, '['),
                                           "{\"files\": [{\"before\": {\"x\": [[1]]}}]}",
                                           "{\"dirs\": [[[[[[1]]]]]]}"};
    for (const auto& text : deep) {
        INFO(text.substr(0, 60));
        try {
            manifest_from_json(text);
            FAIL("accepted");
        } catch (const Error& e) {
            CHECK(e.code() == Errc::snapshot);
            CHECK(e.detail().find("nests deeper than 4 levels") != std::string::npos);
        }
    }
    std::string good = text_of(sample());
    good.insert(good.find('{') + 1, "\"unknown\": [[[1]], {\"a\": [2]}], ");
    CHECK(text_of(manifest_from_json(good)) == text_of(sample()));
}
