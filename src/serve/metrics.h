// Server counters in Prometheus' text format: requests by status, a latency histogram,
// batch sizes and the queue depth.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace bertcls::serve {

// A cumulative histogram as Prometheus defines one: counts per upper bound, sum, count.
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void observe(double value);
  // Appends the _bucket, _sum and _count lines of `name`.
  void write(std::string& out, const std::string& name) const;

 private:
  std::vector<double> bounds_;
  std::vector<uint64_t> counts_;  // per bound, not cumulative; the last is +Inf
  double sum_ = 0;
  uint64_t count_ = 0;
};

class Metrics {
 public:
  Metrics();
  // `endpoint` is one of the server's paths, or "other" for the rest (bounded labels).
  void record_request(const std::string& endpoint, int status, double seconds);
  void record_batch(int texts);
  std::string prometheus_text(int queued_texts) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  Histogram latency_seconds_;
  Histogram batch_texts_;
};

}  // namespace bertcls::serve
