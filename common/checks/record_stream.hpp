// Library-only: new mailbag contents made of records chosen from existing
// mailbags, streamed through a fixed-size buffer (content_writer.hpp), with
// the size and CRC-32 a change plan needs up front.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "mspo/safety/content_writer.hpp"

namespace mspo::checks_detail {

/// Records of one mailbag file, in output order (slot numbers).
struct RecordRun {
    std::filesystem::path file;
    std::vector<std::uint32_t> slots;
};

/// The records of several runs, one after the other.
struct RecordSource {
    std::vector<RecordRun> runs;
    std::uint64_t records() const noexcept;
};

/// Streams `source`: reads consecutive slots together (up to about 64 KiB a
/// read) and hands the sink whole records. Throws Error{truncated} if a file
/// has become shorter than a slot it names, Error{io} on a read error.
ContentWriter record_writer(std::shared_ptr<const RecordSource> source);

struct StreamSum {
    std::uint64_t size = 0;
    std::uint32_t crc32 = 0;
};

/// Runs `writer` once and sums what it yields.
StreamSum stream_sum(const ContentWriter& writer);

}  // namespace mspo::checks_detail
