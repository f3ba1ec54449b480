// palfix's run (filled in once the address-list checks land).
#include "palfix.hpp"

#include "mspo/base/error.hpp"

namespace mspo::palfix {

int run(const Options&, std::ostream&, std::ostream&, bool) { throw Error(Errc::usage, "not yet"); }

}  // namespace mspo::palfix
