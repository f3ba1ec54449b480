#include "mspo/safety/postoffice_id.hpp"

#include "mspo/base/crc32.hpp"
#include "mspo/base/error.hpp"
#include "mspo/base/platform.hpp"
#include "mspo/format/glb_fixed.hpp"
#include "mspo/format/layout.hpp"
#include "mspo/safety/atomic_file.hpp"

namespace mspo {

std::optional<std::uint32_t> postoffice_identity(const std::filesystem::path& root) {
    try {
        const Postoffice po(root);
        const auto found = po.find("GLB/MASTER.GLB");
        if (!found) return std::nullopt;
        const auto [reldir, name] = atomic::split_parent(po.relative(*found));
        const auto dir = atomic::SafeDir::open(root, reldir);
        const auto file = platform::open_read_at(dir.handle(), name, *found);  // no link, regular only
        Bytes data(MasterFile::size + 1);
        std::size_t total = 0;
        for (std::size_t n;
             total < data.size() &&
             (n = platform::read_some(file, data.data() + total, data.size() - total, *found)) > 0;)
            total += n;
        if (total != MasterFile::size) return std::nullopt;
        data.resize(total);
        data[MasterFile::kEnhancedSecurity] = 0;
        return crc32(data);
    } catch (const Error&) { return std::nullopt; }
}

}  // namespace mspo
