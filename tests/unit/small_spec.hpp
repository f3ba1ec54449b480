// The small pogen spec the unit tests and the postoffice fuzz target share.
// No Catch2 here: the fuzz targets include it too.
#pragma once

#include <string_view>

namespace pogen_fixture {

/// A small spec with a bit of everything: shared messages, freed slots, a
/// group, PALs, external postoffices, P1 files.
inline constexpr std::string_view kSmallSpec = R"(
user ADMIN "Administrator" mail=2 pal=2
user ALICE "Alice Smith" mail=3 freed=2
user BOB "Bob Jones" mail=1
user CAROL "Carol White"
user DAVE "Dave Brown" deleted
group STAFF ALICE BOB CAROL
message ALICE BOB CAROL "Staff meeting"
external NET1/PO2 users=2 mail=2
p1 00000100.P1 age=3d
lock 00000001.0LK age=1d
)";

}  // namespace pogen_fixture
