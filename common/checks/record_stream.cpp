#include "record_stream.hpp"

#include <algorithm>

#include "mspo/base/crc32.hpp"
#include "mspo/base/interrupt.hpp"
#include "mspo/base/platform.hpp"
#include "mspo/format/mbg.hpp"

namespace mspo::checks_detail {

std::uint64_t RecordSource::records() const noexcept {
    std::uint64_t n = 0;
    for (const auto& r : runs) n += r.slots.size();
    return n;
}

ContentWriter record_writer(std::shared_ptr<const RecordSource> source) {
    return [source](const std::function<void(ByteSpan)>& sink) {
        std::uint64_t reads = 0;
        for (const RecordRun& run : source->runs) {
            const auto& slots = run.slots;
            std::size_t i = 0;
            Bytes out;
            while (i < slots.size()) {
                // [i, j): ascending slots within one window of kChunkRecords records, read with one call
                const std::uint64_t first = slots[i];
                std::size_t j = i + 1;
                while (j < slots.size() && slots[j] > slots[j - 1] &&
                       slots[j] - first < MbgReader::kChunkRecords)
                    ++j;
                const std::uint64_t span = std::uint64_t{slots[j - 1]} - first + 1;
                const Bytes window =
                    platform::read_range(run.file, first * MbgRecord::size, span * MbgRecord::size);
                out.clear();
                for (std::size_t k = i; k < j; ++k) {
                    const auto at = static_cast<std::ptrdiff_t>((slots[k] - first) * MbgRecord::size);
                    out.insert(out.end(), window.begin() + at, window.begin() + at + MbgRecord::size);
                }
                sink(ByteSpan(out.data(), out.size()));
                if (++reads % 64 == 0) throw_if_interrupted();
                i = j;
            }
        }
    };
}

StreamSum stream_sum(const ContentWriter& writer) {
    StreamSum sum;
    Crc32 crc;
    writer([&](ByteSpan piece) {
        sum.size += piece.size();
        crc.update(piece);
    });
    sum.crc32 = crc.value();
    return sum;
}

}  // namespace mspo::checks_detail
