// One allocation for everything a step needs: activations, their gradients and scratch.
// A step first lays its buffers out (take() in order), the arena grows only when a
// batch needs more than any batch before it, and reset() reuses the same memory for
// the next step, so a training loop allocates nothing after its largest batch.
#pragma once

#include <cstddef>
#include <memory>

namespace bertcls::tensor {

class Arena {
 public:
  // Starts a layout of size `floats` floats (the total a step's plan computed), growing the
  // block if needed. Pointers from an earlier layout are invalid afterwards.
  void reset(size_t floats);
  // The next `n` floats of the current layout, 64-byte aligned so SIMD loads never split
  // cache lines. Throws std::logic_error when the layout overruns what reset() promised.
  float* take(size_t n);
  size_t capacity_floats() const { return capacity_; }

  // Floats take(n) consumes including alignment padding: plans sum this to size reset().
  static size_t footprint(size_t n) { return (n + kAlignFloats - 1) / kAlignFloats * kAlignFloats; }

 private:
  static constexpr size_t kAlignFloats = 16;
  struct FreeDeleter { void operator()(float* p) const; };
  std::unique_ptr<float, FreeDeleter> block_;
  size_t capacity_ = 0;
  size_t used_ = 0;
  size_t limit_ = 0;
};

}  // namespace bertcls::tensor
