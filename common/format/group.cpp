#include "mspo/format/group.hpp"

namespace mspo {

static_assert(GroupRecord::rule.record == GroupRecord::size);
static_assert(GroupRecord::rule.header == 4);

std::string GroupRecord::mem_filename() const { return format_hex8(tid()) + ".MEM"; }

GroupTable decode_group(ByteSpan data) { return decode_table<GroupRecord>(data, GroupRecord::rule); }

Bytes encode_group(const GroupTable& table) { return encode_table(table); }

}  // namespace mspo
