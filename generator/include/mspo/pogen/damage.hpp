// pogen's damage injection: each kind breaks a built postoffice tree in one
// way, the way a check (checks/check.hpp) or p1clean is made to find.
// docs/POGEN.md lists the kinds and their arguments.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mspo/pogen/model.hpp"
#include "mspo/pogen/spec.hpp"
#include "mspo/pogen/tree.hpp"

namespace mspo::pogen {

struct DamageKind {
    std::string_view name;         // "truncate", "nme-shadow", ...
    std::string_view args;         // argument synopsis, "[FILE [BYTES]]"
    std::string_view description;  // one line
    std::string_view finds;        // the check id that must find it ("" = none of the postoffice checks)
    std::vector<std::string_view> also;  // other check ids that may fire with it (consequences)
};

/// Every damage kind, in documentation order.
const std::vector<DamageKind>& damage_kinds();
bool is_damage_kind(std::string_view name);

/// Applies one damage to `tree`, which render(model) produced (the model
/// tells where accounts, mailbags and messages are). Throws Error{usage}
/// (naming the spec line, if any) for an unknown kind or bad arguments.
void apply_damage(Tree& tree, const Model& model, const DamageSpec& damage);

}  // namespace mspo::pogen
