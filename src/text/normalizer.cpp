#include "text/normalizer.h"

namespace bertcls::text {

void Normalizer::normalize(const char32_t* text, size_t n, int32_t first_origin, NormalizedText& out) const {
  // Steps ping-pong between two scratch texts; the last one appends to `out`.
  thread_local NormalizedText a, b;
  NormalizedText* in = &a;
  NormalizedText* next = &b;
  NormalizedText& first = steps_.empty() ? out : a;
  if (!steps_.empty()) a.clear();
  for (size_t i = 0; i < n; ++i) first.push(text[i], first_origin + static_cast<int32_t>(i));
  for (size_t k = 0; k < steps_.size(); ++k) {
    NormalizedText& dst = k + 1 == steps_.size() ? out : *next;
    if (&dst != &out) dst.clear();
    std::visit([&](const auto& step) { step.normalize(*in, dst); }, steps_[k]);
    std::swap(in, next);
  }
}

}  // namespace bertcls::text
