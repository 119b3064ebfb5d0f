// libFuzzer target: bytes -> config::parse_config (site folders not checked). Nothing in the
// config reader may throw, crash or hang: every problem must become a diagnostic.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/config_reader.hpp"
#include "core/diagnostics.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  coursecal::diagnostics diags;
  const auto cfg = coursecal::config::parse_config(text, "fuzz.yaml", diags, false);
  // The contract: a config comes back exactly when there are no errors.
  if (cfg.has_value() == diags.has_errors()) std::abort();
  for (const auto& d : diags.items()) (void)coursecal::format_diagnostic(d);
  return 0;
}
