// Fuzz target: the format library's decoders of fixed-record and fixed-size
// files (common/format: access, control, glb_fixed, group, grp, grpmem, key,
// mai, mbg, mem, netpo, network, nme, opaque_records). The first byte picks
// the format, the rest is the file's contents. Properties: no crash, and
// every table decoder gives back the input byte for byte (encode(decode(x))
// == x: header, whole records and trailing damage are all kept).
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "mspo/base/error.hpp"
#include "mspo/format/access.hpp"
#include "mspo/format/control.hpp"
#include "mspo/format/file_rules.hpp"
#include "mspo/format/glb_fixed.hpp"
#include "mspo/format/group.hpp"
#include "mspo/format/grp.hpp"
#include "mspo/format/grpmem.hpp"
#include "mspo/format/key.hpp"
#include "mspo/format/mai.hpp"
#include "mspo/format/mbg.hpp"
#include "mspo/format/mem.hpp"
#include "mspo/format/netpo.hpp"
#include "mspo/format/network.hpp"
#include "mspo/format/nme.hpp"
#include "mspo/format/opaque_records.hpp"

namespace {

using namespace mspo;
using mspo::fuzz::require;

volatile std::uint64_t sink;  // keeps the accessors' results alive

template <class Record>
Table<Record> round_trip(ByteSpan in, const SizeRule& rule) {
    auto t = decode_table<Record>(in, rule);
    require(encode_table(t) == Bytes(in.begin(), in.end()));
    require(t.records.size() == whole_records(rule, in.size()) || in.size() < rule.header);
    (void)size_violation(rule, in.size());
    return t;
}

template <class Fixed>
void fixed(ByteSpan in) {
    const auto f = Fixed::from_bytes(in);
    require(f.has_value() == (in.size() == Fixed::size));
    if (f) require(f->to_bytes() == Bytes(in.begin(), in.end()));
    (void)size_violation(Fixed::rule, in.size());
}

void key(ByteSpan in) {
    try {
        const KeyFile k = KeyFile::from_bytes(in);
        require(k.to_bytes() == Bytes(in.begin(), in.end()));
        std::uint64_t acc = std::uint64_t{k.new_mail()} + k.unread() + k.all_zero();
        for (const auto r : kKeyReadings) acc += k.slot_deleted_as(in.size() % kMailbagLimit, r);
        for (const std::uint64_t count : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{4095},
                                          std::uint64_t{4096}, std::uint64_t{1} << 40}) {
            acc += k.live_slots(count) + k.bits_beyond(count) + k.first_free(count).value_or(0);
        }
        sink = acc;
    } catch (const Error&) { require(in.size() != KeyFile::size); }
}

void mai(ByteSpan in) {
    try {
        sink = get_refcount(in);
        Bytes copy(in.begin(), in.end());
        set_refcount(copy, 7);
        require(get_refcount(copy) == 7);
    } catch (const Error&) { require(in.size() < kMaiMinSize); }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const ByteSpan in = mspo::fuzz::span(data + 1, size - 1);
    std::uint64_t acc = 0;
    switch (data[0] % 20) {
        case 0: {
            const auto t = round_trip<AccessRecord>(in, rules::access);
            for (const auto& r : t.records) acc += r.full_name().size();
            break;
        }
        case 1: {
            const auto t = round_trip<Access2Record>(in, rules::access2);
            for (const auto& r : t.records)
                acc += r.mailbox().size() + r.mailbag().value_or(0) + r.tid() + r.status() + r.deleted();
            break;
        }
        case 2:
            round_trip<Access3Record>(in, rules::access3);
            break;
        case 3: {
            const auto t = decode_group(in);
            require(encode_group(t) == Bytes(in.begin(), in.end()));
            for (const auto& r : t.records)
                acc += r.alias().size() + r.tid() + r.type() + r.mem_filename().size();
            break;
        }
        case 4: {
            const auto t = decode_grp(in);
            require(encode_grp(t) == Bytes(in.begin(), in.end()));
            const std::uint64_t start = in.size() >= 4 ? get_u32(in, 0) : 8;
            const auto chain = walk_chain(t, start);
            require(chain.tids.size() == chain.offsets.size() && chain.tids.size() <= t.records.size());
            acc += chain.tids.size() + static_cast<std::uint64_t>(chain.status);
            acc += std::string_view(chain_status_name(chain.status)).size();
            break;
        }
        case 5: {
            const auto t = decode_grpmem(in);
            require(encode_grpmem(t) == Bytes(in.begin(), in.end()));
            for (const auto& r : t.records) acc += r.mailbag() + r.delete_flag();
            break;
        }
        case 6: {
            const auto t = decode_mem(in);
            require(encode_mem(t) == Bytes(in.begin(), in.end()));
            const auto bags = mem_mailbags(t);
            try {
                require(build_mem(bags).size() == bags.size() * MemRecord::size);
            } catch (const Error&) { require(bags.size() > kMemMaxMembers); }
            break;
        }
        case 7: {
            const auto t = decode_mbg(in);
            require(encode_mbg(t) == Bytes(in.begin(), in.end()));
            for (const auto& r : t.records) {
                const MbgDate d = r.date();
                acc += r.sender().size() + r.subject().size() + r.mai().value_or(0) + d.year + d.minute;
            }
            break;
        }
        case 8: {
            auto t = decode_netpo(in);
            require(encode_netpo(t) == Bytes(in.begin(), in.end()));
            acc += netpo_delete_chain(t).value_or(0) + netpo_record_at(in.size()).value_or(0);
            for (const auto& r : t.records)
                acc +=
                    r.network().size() + r.postoffice().size() + r.mailbox().size() + r.mailbag() + r.tid();
            try {
                set_netpo_delete_chain(t, 1);
                require(netpo_delete_chain(t) == 1u);
            } catch (const Error&) { require(t.header.size() < 4); }
            break;
        }
        case 9: {
            const auto t = decode_network(in);
            require(encode_network(t) == Bytes(in.begin(), in.end()));
            for (const auto& r : t.records)
                acc += r.name().size() + r.hexid().value_or(0) + r.target_relpath().value_or("").size() +
                       r.kind();
            break;
        }
        case 10: {
            const auto t = decode_nme(in);
            require(encode_nme(t) == Bytes(in.begin(), in.end()));
            for (const auto& r : t.records)
                acc += r.alias().size() + r.tid() + nme_type_name(r.type_code()).size() + r.pointer();
            if (!t.records.empty()) require(find_tid(t, t.records.back().tid()).has_value());
            break;
        }
        case 11:
            round_trip<UsrRecord>(in, rules::usr);
            break;
        case 12:
            round_trip<XtnRecord>(in, rules::xtn);
            break;
        case 13:
            round_trip<ServerRecord>(in, rules::server);
            break;
        case 14:
            round_trip<ProcessRecord>(in, rules::process);
            break;
        case 15: {
            const auto t = round_trip<GalIndexEntry>(in, rules::galindex);
            for (std::size_t slot = 0; slot <= kGalIndexSlots; ++slot)
                acc += galindex_slot_offset(t, slot).value_or(0);
            for (const auto& e : t.records) acc += e.word() + e.nme_record().value_or(0);
            break;
        }
        case 16: {
            const auto c = ControlFile::from_bytes(in);
            require(c.has_value() == (in.size() == ControlFile::size));
            if (c) acc += c->next_mailbag() + c->next_letter();
            break;
        }
        case 17: {
            // The second byte picks the fixed-size GLB file.
            const ByteSpan body = in.empty() ? in : in.subspan(1);
            switch (in.empty() ? 0 : in[0] % 7) {
                case 0:
                    fixed<MasterFile>(body);
                    break;
                case 1:
                    fixed<FlagFile>(body);
                    break;
                case 2:
                    fixed<TidFile>(body);
                    break;
                case 3:
                    fixed<RnetsemFile>(body);
                    break;
                case 4:
                    fixed<ModemFile>(body);
                    break;
                case 5:
                    fixed<GlobalFile>(body);
                    break;
                default:
                    fixed<ReqconfFile>(body);
                    break;
            }
            break;
        }
        case 18:
            key(in);
            break;
        default:
            mai(in);
            break;
    }
    sink = acc;
    return 0;
}
