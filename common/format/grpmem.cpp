#include "mspo/format/grpmem.hpp"

namespace mspo {

static_assert(GrpmemRecord::rule.record == GrpmemRecord::size);
static_assert(GrpmemRecord::rule.header == 4);

GrpmemTable decode_grpmem(ByteSpan data) { return decode_table<GrpmemRecord>(data, GrpmemRecord::rule); }

Bytes encode_grpmem(const GrpmemTable& table) { return encode_table(table); }

}  // namespace mspo
