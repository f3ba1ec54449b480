// pogen's builder: spec -> model (plan) -> bytes (render, through the
// codecs) -> damage. Everything is in memory and deterministic: the same
// spec, seed and `now` give the same tree, mtimes included.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "mspo/pogen/model.hpp"
#include "mspo/pogen/spec.hpp"
#include "mspo/pogen/tree.hpp"

namespace mspo::pogen {

struct BuildOptions {
    std::optional<std::uint64_t> seed;   // overrides the spec's `seed` (default 1)
    std::optional<std::uint32_t> users;  // overrides the spec's `users`
    std::optional<std::int64_t> now;     // overrides the spec's `now` (default kDefaultNow)
    std::vector<DamageSpec> damages;     // applied after the spec's own damages
};

/// The model a spec and options give (seed, users and now resolved).
Model plan_spec(const Spec& spec, const BuildOptions& options = {});

/// The undamaged tree of a model: all 51 folders and every file, written
/// through the record codecs. Mtimes are `now` minus one hour, except P1
/// files (their ages) and POPULATE.MSM (read-only, a year old).
Tree render(const Model& model);

/// The two halves of render(): the folders, GLB, NME, GRP, MEM, USR and XTN
/// files (pogen_builder.cpp), and the mailbags, KEYs, MAIs and P1 files
/// (pogen_render_mail.cpp).
void render_directory(const Model& model, Tree& tree);
void render_mail(const Model& model, Tree& tree);

/// plan_spec + render + every damage (the spec's, then the options').
/// Throws Error{usage} for a spec or damage that cannot be built.
Tree build(const Spec& spec, const BuildOptions& options = {});

/// Bytes of a new .MAI file: 64 to 255 deterministic pseudo-random bytes
/// (a function of seed and number) with `refs` at the counter offset 0x0B.
Bytes make_mai(std::uint64_t seed, std::uint32_t number, std::uint16_t refs);

}  // namespace mspo::pogen
