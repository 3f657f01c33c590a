#include "serve/access_log.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/utc_timestamp.h"

namespace bertcls::serve {
namespace {

double rounded(double ms) { return static_cast<double>(static_cast<long long>(ms * 1000 + 0.5)) / 1000; }

}  // namespace

std::string access_line(const AccessRecord& r, LogFormat format) {
  if (format == LogFormat::Json) {
    // Paths come from clients: replace bytes that are not UTF-8 rather than fail.
    return nlohmann::ordered_json{{"time", utc_timestamp()},
                                  {"request_id", r.request_id},
                                  {"method", r.method},
                                  {"path", r.path},
                                  {"status", r.status},
                                  {"texts", r.texts},
                                  {"tokens", r.tokens},
                                  {"queue_ms", rounded(r.queue_ms)},
                                  {"inference_ms", rounded(r.inference_ms)},
                                  {"total_ms", rounded(r.total_ms)}}
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  char numbers[200];
  std::snprintf(numbers, sizeof numbers, " %d %d texts %ld tokens queue %.1f ms inference %.1f ms total %.1f ms", r.status,
                r.texts, r.tokens, r.queue_ms, r.inference_ms, r.total_ms);
  std::string path;
  for (char c : r.path) path += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c;  // one line, always
  return utc_timestamp() + " " + r.request_id + " " + r.method + " " + path + numbers;
}

}  // namespace bertcls::serve
