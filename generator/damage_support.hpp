// Library-only helpers shared by the damage kinds (damage.cpp,
// damage_lists.cpp): argument reading, file lookup and the default account.
// Every failure is Error{usage} naming the spec line, if any, and the kind.
#pragma once

#include <cstdint>
#include <string>

#include "mspo/pogen/damage.hpp"

namespace mspo::pogen {

class DamageContext {
public:
    DamageContext(Tree& tree, const Model& model, const DamageSpec& d) : t_(tree), m_(model), d_(d) {}

    /// Throws Error{usage} "spec line N: damage KIND: <what>".
    [[noreturn]] void fail(const std::string& what) const;
    /// Argument `i`, or `def` if it was not given.
    std::string arg(std::size_t i, const std::string& def) const;
    /// Argument `i` as a decimal number, or `def`; fails if it is not a number.
    std::uint64_t num_arg(std::size_t i, std::uint64_t def) const;
    /// Fails unless `rel` is a path inside the postoffice (is_inside_path).
    void require_inside(const std::string& rel) const;
    /// The tree's file at `rel` (upper-cased); fails if there is none.
    TreeFile& file(const std::string& rel);
    /// The active account named by argument `argi`, or by default the last
    /// active one other than ADMIN whose mailbag is empty (then the last
    /// active one, then ADMIN), so consequences stay few. Fails for an unknown
    /// or deleted name.
    std::size_t account(std::size_t argi) const;

protected:
    Tree& t_;
    const Model& m_;
    const DamageSpec& d_;
};

/// The address-list kinds (nme-*, pol-*, pal-*, grp-chain, nme-shadow,
/// grp-shadow): true if `kind` is one of them and it was applied.
bool apply_list_damage(Tree& tree, const Model& model, const DamageSpec& damage);

/// The mailbag KEY kinds (key-bits-beyond, key-inverted; damage_mailbags.cpp):
/// true if `kind` is one of them and it was applied.
bool apply_mailbag_damage(Tree& tree, const Model& model, const DamageSpec& damage);

}  // namespace mspo::pogen
