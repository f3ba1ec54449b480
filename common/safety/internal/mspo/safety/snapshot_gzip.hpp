// The gzip layer of snapshot archives, over zlib (used by snapshot.cpp).
//
// Writing: the stream is cut into blocks (1 MiB by default) and each block
// becomes one complete gzip member, deflated on a worker thread; members are
// written in order. Concatenated members are a valid gzip file (RFC 1952
// section 2.2) that gzip, GNU tar and libarchive read as one stream; with
// two threads both cores deflate while the caller produces the next block.
//
// Reading: every member is inflated and its CRC-32 and length trailer are
// checked by zlib; a stream that ends inside a member, or has bytes after the
// last member that are not another member, is an error.
#pragma once

#include <cstddef>
#include <deque>
#include <filesystem>
#include <future>

#include "mspo/base/bytes.hpp"
#include "mspo/base/platform.hpp"

namespace mspo::gz {

namespace fs = std::filesystem;

class ParallelWriter {
public:
    /// Writes to `out` (which must outlive the writer). threads >= 1;
    /// level 0..9 as gzip's.
    ParallelWriter(const platform::Handle& out, fs::path shown, unsigned threads = 2, int level = 1,
                   std::size_t block_size = std::size_t{1} << 20);
    ParallelWriter(const ParallelWriter&) = delete;
    ParallelWriter& operator=(const ParallelWriter&) = delete;
    /// Waits for workers; discards pending output (call finish() to keep it).
    ~ParallelWriter();

    /// Appends to the stream. Throws Error{io} if a write to `out` fails.
    void write(ByteSpan data);
    /// Compresses and writes everything still buffered. Throws like write().
    void finish();
    std::uint64_t bytes_out() const noexcept { return bytes_out_; }

private:
    void submit();
    void write_oldest();

    const platform::Handle& out_;
    fs::path shown_;
    unsigned threads_;
    int level_;
    std::size_t block_size_;
    Bytes block_;
    std::deque<std::future<Bytes>> pending_;
    std::uint64_t bytes_out_ = 0;
};

/// One complete gzip member holding `data`.
Bytes compress_member(ByteSpan data, int level);

class Reader {
public:
    explicit Reader(const platform::Handle& in, fs::path shown);
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;
    ~Reader();

    /// Up to `max` decompressed bytes into `out`; 0 only at the clean end of
    /// the last member. Throws Error{snapshot} on corrupt or truncated data,
    /// with the compressed offset where it was found.
    std::size_t read(std::uint8_t* out, std::size_t max);
    /// Offset in the compressed file of the next byte inflate will look at.
    std::uint64_t offset() const noexcept;

private:
    bool fill();
    std::uint64_t read_from_file_ = 0;  // compressed bytes read so far

    const platform::Handle& in_;
    fs::path shown_;
    void* stream_ = nullptr;  // z_stream, kept opaque to spare users zlib.h
    Bytes inbuf_;
    bool in_eof_ = false;
    bool member_done_ = false;
    bool done_ = false;
    std::uint64_t members_ = 0;
};

}  // namespace mspo::gz
