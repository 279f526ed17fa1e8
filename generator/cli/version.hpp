#pragma once

namespace eskit::cli {
inline constexpr const char* version = ESKIT_VERSION;
}
