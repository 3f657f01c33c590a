// One line per answered request, for people (text) or log collectors (json):
//   text: 2026-12-01T13:05:02.118Z 3f2a… POST /predict 200 2 texts 41 tokens queue 0.1 ms inference 2.3 ms total 3.0 ms
//   json: {"time": …, "request_id": …, "method": …, "path": …, "status": …, "texts": …,
//          "tokens": …, "queue_ms": …, "inference_ms": …, "total_ms": …}
// Texts, tokens, queue and inference time are 0 for routes that run no model.
#pragma once

#include <string>

namespace bertcls::serve {

enum class LogFormat { Off, Text, Json };

struct AccessRecord {
  std::string request_id, method, path;
  int status = 0;
  int texts = 0;
  long tokens = 0;
  double queue_ms = 0, inference_ms = 0, total_ms = 0;
};

// The line for `record` without its newline; `format` is Text or Json.
std::string access_line(const AccessRecord& record, LogFormat format);

}  // namespace bertcls::serve
