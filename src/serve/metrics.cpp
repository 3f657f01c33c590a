#include "serve/metrics.h"

#include <algorithm>
#include <cstdio>

namespace bertcls::serve {

Histogram::Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)), counts_(bounds_.size() + 1, 0) {}

void Histogram::observe(double value) {
  size_t i = static_cast<size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin());
  ++counts_[i];
  sum_ += value;
  ++count_;
}

void Histogram::write(std::string& out, const std::string& name) const {
  char line[256];
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    cumulative += counts_[i];
    if (i < bounds_.size())
      std::snprintf(line, sizeof line, "%s_bucket{le=\"%g\"} %llu\n", name.c_str(), bounds_[i],
                    static_cast<unsigned long long>(cumulative));
    else
      std::snprintf(line, sizeof line, "%s_bucket{le=\"+Inf\"} %llu\n", name.c_str(),
                    static_cast<unsigned long long>(cumulative));
    out += line;
  }
  std::snprintf(line, sizeof line, "%s_sum %.9g\n%s_count %llu\n", name.c_str(), sum_, name.c_str(),
                static_cast<unsigned long long>(count_));
  out += line;
}

Metrics::Metrics()
    : latency_seconds_({0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}),
      batch_texts_({1, 2, 4, 8, 16, 32, 64, 128, 256}) {}

void Metrics::record_request(const std::string& endpoint, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{endpoint, status}];
  latency_seconds_.observe(seconds);
}

void Metrics::record_batch(int texts) {
  std::lock_guard lock(mutex_);
  batch_texts_.observe(texts);
}

std::string Metrics::prometheus_text(int queued_texts) const {
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP bertcls_requests_total HTTP requests answered, by endpoint and status code.\n";
  out += "# TYPE bertcls_requests_total counter\n";
  for (const auto& [key, n] : requests_)
    out += "bertcls_requests_total{endpoint=\"" + key.first + "\",status=\"" + std::to_string(key.second) + "\"} " +
           std::to_string(n) + "\n";
  out += "# HELP bertcls_request_duration_seconds Time from request to answer.\n";
  out += "# TYPE bertcls_request_duration_seconds histogram\n";
  latency_seconds_.write(out, "bertcls_request_duration_seconds");
  out += "# HELP bertcls_batch_texts Texts per model batch.\n";
  out += "# TYPE bertcls_batch_texts histogram\n";
  batch_texts_.write(out, "bertcls_batch_texts");
  out += "# HELP bertcls_queue_texts Texts waiting for a worker.\n";
  out += "# TYPE bertcls_queue_texts gauge\n";
  out += "bertcls_queue_texts " + std::to_string(queued_texts) + "\n";
  return out;
}

}  // namespace bertcls::serve
