// Fuzz target: the snapshot archive reader (common/safety/snapshot_read.cpp:
// verify_snapshot, read_manifest, read_snapshot_files, SnapshotReader),
// porestore's way into an archive. The first byte picks the mode: even, the
// rest is the archive file as is (the gzip layer is fuzzed); odd, the rest
// is a tar that the target gzips first, so mutations reach libarchive's tar
// parsing and the checks against the manifest. Properties: no crash; a bad
// archive is a listed problem or Error{snapshot}, never another exception;
// an archive that verifies streams every entry with its recorded size and
// CRC-32.
#include <zlib.h>

#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "mspo/base/crc32.hpp"
#include "mspo/base/error.hpp"
#include "mspo/safety/snapshot.hpp"

namespace {

using namespace mspo;

mspo::Bytes gzip(const std::uint8_t* data, std::size_t size) {
    z_stream z{};
    if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) std::abort();
    Bytes out(deflateBound(&z, static_cast<uLong>(size)) + 64);
    z.next_in = const_cast<Bytef*>(data);
    z.avail_in = static_cast<uInt>(size);
    z.next_out = out.data();
    z.avail_out = static_cast<uInt>(out.size());
    if (deflate(&z, Z_FINISH) != Z_STREAM_END) std::abort();
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

void stream_all(const std::filesystem::path& file, const VerifyResult& r) {
    const Manifest& m = *r.manifest;
    fuzz::require(r.entry_index.size() == m.files.size());
    SnapshotReader reader(file);
    for (std::size_t i = 0; i < m.files.size(); ++i) {
        const ManifestEntry& f = m.files[i];
        if (r.entry_index[i] == VerifyResult::kNoEntry) continue;
        Crc32 crc;
        std::uint64_t size = 0;
        reader.stream(r.entry_index[i], f.path, f.before.size, f.before.crc32, [&](ByteSpan piece) {
            crc.update(piece);
            size += piece.size();
        });
        fuzz::require(size == f.before.size && crc.value() == f.before.crc32);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::filesystem::path file;
    if (data[0] % 2 == 0) {
        file = fuzz::input_file(data + 1, size - 1, "snapshot.tar.gz");
    } else {
        const Bytes gz = gzip(data + 1, size - 1);
        file = fuzz::input_file(gz.data(), gz.size(), "snapshot.tar.gz");
    }
    const VerifyResult r = verify_snapshot(file);
    fuzz::require(r.ok() == r.problems.empty());
    if (r.ok()) {
        fuzz::require(r.manifest.has_value());
        stream_all(file, r);
        Manifest m;
        fuzz::require(read_snapshot_files(file, m).size() == r.entries);
        (void)verify_written_snapshot(file, m);
    }
    try {
        (void)read_manifest(file);
    } catch (const Error& e) { fuzz::require(e.code() == Errc::snapshot); }
    return 0;
}
