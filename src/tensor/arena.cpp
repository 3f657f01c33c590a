#include "tensor/arena.h"

#include <cstdlib>
#include <new>
#include <stdexcept>

namespace bertcls::tensor {

void Arena::FreeDeleter::operator()(float* p) const { std::free(p); }

void Arena::reset(size_t floats) {
  if (floats > capacity_) {
    block_.reset();
    void* p = std::aligned_alloc(kAlignFloats * sizeof(float), footprint(floats) * sizeof(float));
    if (p == nullptr) throw std::bad_alloc();
    block_.reset(static_cast<float*>(p));
    capacity_ = footprint(floats);
  }
  used_ = 0;
  limit_ = floats;
}

float* Arena::take(size_t n) {
  size_t need = footprint(n);
  if (used_ + need > footprint(limit_)) throw std::logic_error("Arena: layout exceeds its plan");
  float* p = block_.get() + used_;
  used_ += need;
  return p;
}

}  // namespace bertcls::tensor
