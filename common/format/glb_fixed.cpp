#include "mspo/format/glb_fixed.hpp"

namespace mspo {

// The documented sizes (KB Q77926), so a change to file_rules.hpp cannot go unnoticed.
static_assert(MasterFile::size == 176);
static_assert(FlagFile::size == 2);
static_assert(TidFile::size == 4);
static_assert(RnetsemFile::size == 4);
static_assert(ModemFile::size == 64);
static_assert(GlobalFile::size == 512);
static_assert(ReqconfFile::size == 512);
static_assert(MasterFile::kEnhancedSecurity < MasterFile::size);

}  // namespace mspo
