// The gzip layer of snapshot archives, over zlib (used by snapshot.cpp).
//
// Writing: the stream is cut into blocks (1 MiB by default) and each block
// becomes one complete gzip member, deflated and written on a worker thread;
// members are written in order. Concatenated members are a valid gzip file (RFC 1952
// section 2.2) that gzip, GNU tar and libarchive read as one stream; with
// two threads both cores deflate while the caller produces the next block.
//
// Reading: every member is inflated and its CRC-32 and length trailer are
// checked by zlib; a stream that ends inside a member, or has bytes after the
// last member that are not another member, is an error.
//
// Random bytes (encrypted MAI and ATT files: nearly all of a postoffice)
// gain nothing from deflate, which still spends ten times a copy's CPU
// looking for matches. So each member's runs of random-looking 512-byte
// sectors (4 KiB at least) are written as deflate's stored blocks (level 0:
// copied, CRC-32 only), the rest deflated at the level asked for, in one
// deflate stream: a standard member as before, that every reader inflates
// unchanged (docs/PERFORMANCE.md, "Snapshots of random bytes").
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <deque>
#include <filesystem>
#include <future>
#include <utility>
#include <vector>

#include "mspo/base/bytes.hpp"
#include "mspo/base/platform.hpp"

namespace mspo::gz {

namespace fs = std::filesystem;

class ParallelWriter {
public:
    /// Writes to `out` (which must outlive the writer). threads >= 1;
    /// level 0..9 as gzip's; store_random: see compress_member().
    ParallelWriter(const platform::Handle& out, fs::path shown, unsigned threads = 2, int level = 1,
                   std::size_t block_size = std::size_t{1} << 20, bool store_random = true);
    ParallelWriter(const ParallelWriter&) = delete;
    ParallelWriter& operator=(const ParallelWriter&) = delete;
    /// Waits for workers; pending output not yet written is dropped (call
    /// finish() to keep it).
    ~ParallelWriter();

    /// Appends to the stream. Throws Error{io} if a write to `out` fails
    /// (a worker's write: here, at a later call, or at finish()).
    void write(ByteSpan data);
    /// Compresses and writes everything still buffered. Throws like write().
    void finish();
    std::uint64_t bytes_out() const noexcept { return bytes_out_; }

private:
    void submit();
    void wait_oldest();

    const platform::Handle& out_;
    fs::path shown_;
    unsigned threads_;
    int level_;
    std::size_t block_size_;
    bool store_random_;
    Bytes block_;
    std::shared_ptr<std::atomic<bool>> abandoned_;           // set by the destructor
    std::deque<std::shared_future<std::uint64_t>> pending_;  // bytes each member took
    std::uint64_t bytes_out_ = 0;
};

/// The byte ranges [begin, end) of `data` that compress_member() stores
/// rather than deflates (runs of random-looking sectors), in order.
std::vector<std::pair<std::size_t, std::size_t>> stored_runs(ByteSpan data);

/// One complete gzip member holding `data`, deflated at `level`; with
/// store_random, runs of random-looking sectors are stored instead (above).
Bytes compress_member(ByteSpan data, int level, bool store_random = true);

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
