#include "mspo/safety/snapshot_gzip.hpp"

#include <algorithm>
#include <atomic>
#include <memory>
#include <bit>
#include <climits>
#include <optional>
#include <utility>
#include <vector>
#include <zlib.h>

#include "mspo/base/error.hpp"

namespace mspo::gz {

namespace {

z_stream* zs(void* p) { return static_cast<z_stream*>(p); }

constexpr std::size_t kInChunk = 256 * 1024;

Bytes compress_plain(ByteSpan data, int level) {
    if (data.size() > UINT_MAX / 2) throw Error(Errc::snapshot, "gzip block too large");
    z_stream s{};
    // windowBits 15 + 16: write a gzip header and trailer around raw deflate.
    if (deflateInit2(&s, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw Error(Errc::snapshot, "zlib deflateInit2 failed");
    Bytes out(deflateBound(&s, static_cast<uLong>(data.size())) + 32);
    s.next_in = const_cast<Bytef*>(data.data());
    s.avail_in = static_cast<uInt>(data.size());
    s.next_out = out.data();
    s.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&s, Z_FINISH);
    std::size_t produced = out.size() - s.avail_out;
    deflateEnd(&s);
    if (rc != Z_STREAM_END) throw Error(Errc::snapshot, "zlib deflate failed");
    out.resize(produced);
    return out;
}

/// A 512-byte sector (tar's unit) looks random when its first 64 bytes hold
/// at least 50 different byte values: random bytes give 56.7 on average
/// (fewer than 50 in about 0.2% of sectors), base64 about 41 (50 or more in
/// about 0.02%), text, tar headers and binary records far fewer. Looking
/// costs an eighth of the bytes, once; deflating random bytes at level 1
/// costs ten times a copy, for nothing.
constexpr std::size_t kSector = 512;
constexpr std::size_t kProbe = 64;
constexpr int kRandomDistinct = 50;
/// Random sectors are stored only in runs of at least this many bytes: each
/// switch of level ends a deflate block (and clears zlib's match table), so
/// a short random run costs less deflated along with its neighbours.
constexpr std::size_t kMinStoredRun = 8 * kSector;

bool looks_random(const std::uint8_t* p) noexcept {
    std::uint64_t seen[4] = {0, 0, 0, 0};
    for (std::size_t i = 0; i < kProbe; ++i) seen[p[i] >> 6] |= std::uint64_t{1} << (p[i] & 63);
    int distinct = 0;
    for (std::uint64_t w : seen) distinct += std::popcount(w);
    return distinct >= kRandomDistinct;
}

/// Consecutive runs of `data`, each to be stored or deflated.
struct Run {
    std::size_t begin;
    std::size_t end;
    bool stored;
};

std::vector<Run> plan_runs(ByteSpan data) {
    std::vector<Run> runs;
    const auto add = [&runs](std::size_t b, std::size_t e, bool stored) {
        if (b == e) return;
        if (!runs.empty() && runs.back().stored == stored)
            runs.back().end = e;
        else
            runs.push_back({b, e, stored});
    };
    std::size_t at = 0, random_from = 0;
    bool in_random = false;
    const auto close_random = [&](std::size_t end) {  // a random run [random_from, end)
        add(random_from, end, end - random_from >= kMinStoredRun);
        in_random = false;
    };
    for (; at + kSector <= data.size(); at += kSector) {
        const bool r = looks_random(data.data() + at);
        if (r && !in_random) {
            random_from = at;
            in_random = true;
        } else if (!r) {
            if (in_random) close_random(at);
            add(at, at + kSector, false);
        }
    }
    if (in_random) close_random(at);
    add(at, data.size(), false);  // a last piece of under a sector
    return runs;
}

/// compress_member() with runs of random-looking sectors stored (deflate
/// level 0: copied, no matching) and the rest deflated at `level`, all in
/// one deflate stream (deflateParams switches the level between runs).
/// nullopt if zlib refuses a switch (the caller then deflates it all).
std::optional<Bytes> compress_mixed(ByteSpan data, int level, const std::vector<Run>& runs) {
    z_stream s{};
    if (deflateInit2(&s, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw Error(Errc::snapshot, "zlib deflateInit2 failed");
    // Stored blocks add 5 bytes per 64 KiB; each switch ends a block (a few
    // bytes); deflated runs come out no larger than deflateBound says.
    Bytes out(deflateBound(&s, static_cast<uLong>(data.size())) + 64 * runs.size() + 1024);
    s.next_out = out.data();
    s.avail_out = static_cast<uInt>(out.size());
    int current = level;
    bool ok = true;
    for (const Run& r : runs) {
        const int want = r.stored ? 0 : level;
        if (want != current) {
            if (deflateParams(&s, want, Z_DEFAULT_STRATEGY) != Z_OK) {
                ok = false;
                break;
            }
            current = want;
        }
        s.next_in = const_cast<Bytef*>(data.data() + r.begin);
        s.avail_in = static_cast<uInt>(r.end - r.begin);
        if (deflate(&s, Z_NO_FLUSH) != Z_OK || s.avail_in != 0) {
            ok = false;
            break;
        }
    }
    int rc = ok ? deflate(&s, Z_FINISH) : Z_STREAM_ERROR;
    std::size_t produced = out.size() - s.avail_out;
    deflateEnd(&s);
    if (rc != Z_STREAM_END) return std::nullopt;
    out.resize(produced);
    return out;
}

}  // namespace

std::vector<std::pair<std::size_t, std::size_t>> stored_runs(ByteSpan data) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    for (const Run& r : plan_runs(data))
        if (r.stored) out.emplace_back(r.begin, r.end);
    return out;
}

Bytes compress_member(ByteSpan data, int level, bool store_random) {
    if (data.size() > UINT_MAX / 2) throw Error(Errc::snapshot, "gzip block too large");
    if (!store_random || level == 0) return compress_plain(data, level);
    const std::vector<Run> runs = plan_runs(data);
    if (std::none_of(runs.begin(), runs.end(), [](const Run& r) { return r.stored; }))
        return compress_plain(data, level);
    if (auto mixed = compress_mixed(data, level, runs)) return std::move(*mixed);
    return compress_plain(data, level);
}

ParallelWriter::ParallelWriter(const platform::Handle& out, fs::path shown, unsigned threads, int level,
                               std::size_t block_size, bool store_random)
    : out_(out),
      shown_(std::move(shown)),
      threads_(std::max(1u, threads)),
      level_(level),
      block_size_(std::max<std::size_t>(block_size, 4096)),
      store_random_(store_random),
      abandoned_(std::make_shared<std::atomic<bool>>(false)) {
    block_.reserve(block_size_);
}

ParallelWriter::~ParallelWriter() {
    abandoned_->store(true);  // what is still pending is not written
    for (auto& f : pending_) {
        if (f.valid()) f.wait();
    }
}

void ParallelWriter::write(ByteSpan data) {
    while (!data.empty()) {
        std::size_t n = std::min(data.size(), block_size_ - block_.size());
        block_.insert(block_.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n));
        data = data.subspan(n);
        if (block_.size() == block_size_) submit();
    }
}

void ParallelWriter::submit() {
    if (block_.empty()) return;
    Bytes input;
    input.swap(block_);
    block_.reserve(block_size_);
    if (threads_ == 1) {
        Bytes member = compress_member(input, level_, store_random_);
        platform::write_all(out_, member, shown_);
        bytes_out_ += member.size();
        return;
    }
    while (pending_.size() >= threads_) wait_oldest();
    // Each worker deflates its block, waits until the block before it is
    // written, then writes its own: the members go out in order, and the
    // caller's thread (which reads the files) never waits on a write. A
    // write that fails fails every block after it too.
    std::shared_future<std::uint64_t> before =
        pending_.empty() ? std::shared_future<std::uint64_t>{} : pending_.back();
    pending_.push_back(
        std::async(std::launch::async,
                   [in = std::move(input), level = level_, store = store_random_, before = std::move(before),
                    abandoned = abandoned_, &out = out_, &shown = shown_]() mutable -> std::uint64_t {
                       // The task (and so what it captured) lives as long as
                       // the next block's `before`: let go of both here.
                       const Bytes member = compress_member(in, level, store);
                       Bytes().swap(in);
                       if (before.valid()) std::exchange(before, {}).get();
                       if (abandoned->load()) return 0;
                       platform::write_all(out, member, shown);
                       return member.size();
                   })
            .share());
}

void ParallelWriter::wait_oldest() {
    const std::uint64_t written = pending_.front().get();
    pending_.pop_front();
    bytes_out_ += written;
}

void ParallelWriter::finish() {
    submit();
    while (!pending_.empty()) wait_oldest();
}

Reader::Reader(const platform::Handle& in, fs::path shown)
    : in_(in), shown_(std::move(shown)), stream_(new z_stream{}), inbuf_(kInChunk) {
    if (inflateInit2(zs(stream_), 15 + 16) != Z_OK) {
        delete zs(stream_);
        throw Error(Errc::snapshot, "zlib inflateInit2 failed", shown_);
    }
}

Reader::~Reader() {
    inflateEnd(zs(stream_));
    delete zs(stream_);
}

bool Reader::fill() {
    if (in_eof_) return false;
    std::size_t n = platform::read_some(in_, inbuf_.data(), inbuf_.size(), shown_);
    if (n == 0) {
        in_eof_ = true;
        return false;
    }
    read_from_file_ += n;
    zs(stream_)->next_in = inbuf_.data();
    zs(stream_)->avail_in = static_cast<uInt>(n);
    return true;
}

std::uint64_t Reader::offset() const noexcept { return read_from_file_ - zs(stream_)->avail_in; }

std::size_t Reader::read(std::uint8_t* out, std::size_t max) {
    z_stream* s = zs(stream_);
    max = std::min<std::size_t>(max, UINT_MAX);
    while (!done_) {
        if (member_done_) {
            if (s->avail_in == 0 && !fill()) {
                done_ = true;
                break;
            }
            // More bytes follow: they must be another gzip member (inflate
            // checks the magic and rejects anything else as trailing garbage).
            inflateReset(s);
            member_done_ = false;
        }
        if (s->avail_in == 0) fill();
        s->next_out = out;
        s->avail_out = static_cast<uInt>(max);
        int rc = inflate(s, Z_NO_FLUSH);
        std::size_t produced = max - s->avail_out;
        if (rc == Z_STREAM_END) {
            ++members_;
            member_done_ = true;
        } else if (rc == Z_OK || rc == Z_BUF_ERROR) {
            if (produced == 0 && s->avail_in == 0 && in_eof_)
                throw Error(Errc::snapshot, "gzip stream is truncated", shown_, offset());
        } else {
            std::string msg = s->msg != nullptr ? s->msg : "inflate error " + std::to_string(rc);
            throw Error(Errc::snapshot, "gzip data is corrupt (" + msg + ")", shown_, offset());
        }
        if (produced > 0) return produced;
    }
    if (members_ == 0) throw Error(Errc::snapshot, "not a gzip stream", shown_, 0);
    return 0;
}

}  // namespace mspo::gz
