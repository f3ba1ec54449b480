// Fuzz target: the format library's readers that take a path (read_key,
// read_mai_refcount, read_grp, read_mem, read_nme, MbgReader). The first
// byte picks the reader, the rest is written to a scratch file that it
// reads. Properties: no crash; a reader either succeeds or throws
// mspo::Error; what it reads agrees with the bytes-level decoder.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "mspo/base/error.hpp"
#include "mspo/format/grp.hpp"
#include "mspo/format/key.hpp"
#include "mspo/format/mai.hpp"
#include "mspo/format/mbg.hpp"
#include "mspo/format/mem.hpp"
#include "mspo/format/nme.hpp"

namespace {

using namespace mspo;
using mspo::fuzz::require;

void mbg(const std::filesystem::path& file, ByteSpan in) {
    MbgReader reader(file);
    require(reader.file_size() == in.size());
    std::uint64_t n = 0;
    while (auto item = reader.next()) {
        require(item->index == n && item->offset == n * MbgRecord::size);
        require(std::equal(item->record.raw.begin(), item->record.raw.end(),
                           in.begin() + static_cast<std::ptrdiff_t>(item->offset)));
        ++n;
    }
    require(n == reader.record_count());
    const auto partial = reader.read_partial();
    require(partial.has_value() == (in.size() % MbgRecord::size != 0));
    if (partial) require(partial->bytes.size() == reader.trailing_size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const ByteSpan in = mspo::fuzz::span(data + 1, size - 1);
    const auto file = mspo::fuzz::input_file(data + 1, size - 1);
    const Bytes bytes(in.begin(), in.end());
    try {
        switch (data[0] % 6) {
            case 0:
                require(read_key(file).to_bytes() == bytes);
                break;
            case 1:
                require(read_mai_refcount(file) == get_refcount(in));
                break;
            case 2:
                require(encode_grp(read_grp(file, 4096)) == bytes);
                break;
            case 3:
                require(encode_mem(read_mem(file, 4096)) == bytes);
                break;
            case 4:
                require(encode_nme(read_nme(file, 4096)) == bytes);
                break;
            default:
                mbg(file, in);
                break;
        }
    } catch (const Error&) {}
    return 0;
}
