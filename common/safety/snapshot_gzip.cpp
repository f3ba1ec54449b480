#include "mspo/safety/snapshot_gzip.hpp"

#include <algorithm>
#include <climits>
#include <zlib.h>

#include "mspo/base/error.hpp"

namespace mspo::gz {

namespace {

z_stream* zs(void* p) { return static_cast<z_stream*>(p); }

constexpr std::size_t kInChunk = 256 * 1024;

}  // namespace

Bytes compress_member(ByteSpan data, int level) {
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

ParallelWriter::ParallelWriter(const platform::Handle& out, fs::path shown, unsigned threads, int level,
                               std::size_t block_size)
    : out_(out),
      shown_(std::move(shown)),
      threads_(std::max(1u, threads)),
      level_(level),
      block_size_(std::max<std::size_t>(block_size, 4096)) {
    block_.reserve(block_size_);
}

ParallelWriter::~ParallelWriter() {
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
        Bytes member = compress_member(input, level_);
        platform::write_all(out_, member, shown_);
        bytes_out_ += member.size();
        return;
    }
    while (pending_.size() >= threads_) write_oldest();
    int level = level_;
    pending_.push_back(std::async(std::launch::async,
                                  [in = std::move(input), level]() { return compress_member(in, level); }));
}

void ParallelWriter::write_oldest() {
    Bytes member = pending_.front().get();
    pending_.pop_front();
    platform::write_all(out_, member, shown_);
    bytes_out_ += member.size();
}

void ParallelWriter::finish() {
    submit();
    while (!pending_.empty()) write_oldest();
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
