// Fuzz target: manifest_from_json, the reader of a snapshot's
// MSPO-MANIFEST.json (common/safety/snapshot_manifest.cpp). Properties: no
// crash; a malformed manifest is Error{snapshot}, never another exception;
// the text and the stream readers agree; a manifest it accepts writes back
// to JSON that reads back the same.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "fuzz_support.hpp"
#include "mspo/base/error.hpp"
#include "mspo/safety/snapshot_manifest.hpp"

namespace {

bool same(const mspo::Manifest& a, const mspo::Manifest& b) {
    return a.version == b.version && a.tool == b.tool && a.created == b.created &&
           a.created_ns == b.created_ns && a.postoffice == b.postoffice &&
           a.postoffice_id == b.postoffice_id && a.undoes == b.undoes && a.host == b.host && a.pid == b.pid &&
           a.files == b.files && a.dirs == b.dirs;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace mspo;
    const std::string_view text = fuzz::text(data, size);
    std::optional<Manifest> from_text;
    try {
        from_text = manifest_from_json(text);
    } catch (const Error& e) { fuzz::require(e.code() == Errc::snapshot); }
    std::optional<Manifest> from_stream;
    try {
        std::istringstream in{std::string(text)};
        from_stream = manifest_from_json(in);
    } catch (const Error& e) { fuzz::require(e.code() == Errc::snapshot); }
    fuzz::require(from_text.has_value() == from_stream.has_value());
    if (!from_text) return 0;
    const Manifest& m = *from_text;
    fuzz::require(same(*from_stream, m));
    fuzz::require(same(manifest_from_json(manifest_to_json(m)), m));
    return 0;
}
