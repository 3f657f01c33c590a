// The running sum of a step's gradients over the shards of its batches, in the fixed
// order data-parallel training adds them in (data_parallel.h), and its wire form: what
// one process hands the next in that order.
//
// The gradient is a flat buffer laid out as the parameters; its rows segment (the word
// embeddings, ParamSegment::row_size) is +0 outside the rows a shard touched, so the wire
// form carries everything else densely and of the rows segment only the touched rows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "train/adamw.h"

namespace bertcls::train {

// A shard's or a sum's gradient and loss in wire form (encode()); decode() reads it back.
using EncodedGradient = std::vector<std::byte>;

class GradientSum {
 public:
  // `segments` as AdamW takes them (at most one with rows), over a buffer of `size`.
  GradientSum(std::span<const ParamSegment> segments, std::size_t size);

  // sum += grads, element by element: dense outside the rows segment, `touched_rows` (any
  // order, each once) inside it; loss likewise. Rows new to the sum are appended to
  // rows() in the order given. Throws bertcls::Error for a row out of range or repeated.
  void add(std::span<const float> grads, std::span<const std::int32_t> touched_rows, double loss);
  // The same for a gradient in wire form.
  void add(const EncodedGradient& encoded);
  // Becomes exactly what `encoded` holds (a sum another process sent). Throws
  // bertcls::Error for a message that does not fit, and the sum is then undefined.
  void assign(const EncodedGradient& encoded);
  // Back to +0 everywhere, rows() empty, loss 0.
  void clear();
  // Counts every row as touched (after something wrote into all of them, e.g. a NaN).
  void touch_all_rows();

  // Encodes `grads` with its touched rows as add() reads them, or this sum itself.
  void encode(std::span<const float> grads, std::span<const std::int32_t> touched_rows, double loss,
              EncodedGradient& out) const;
  void encode(EncodedGradient& out) const { encode(values_, rows_, loss_, out); }

  // The same in pieces, for a chain that passes a sum on while it is still adding to it:
  // ranges [lo, hi) of the `dense_size()` values outside the rows segment (in buffer
  // order), then the rows with the loss. A piece of dense values is plain floats.
  std::size_t dense_size() const { return values_.size() - row_count_ * row_size_; }
  void encode_dense(std::size_t lo, std::size_t hi, EncodedGradient& out) const;
  void assign_dense(std::size_t lo, const EncodedGradient& piece);
  void add_dense(std::size_t lo, std::size_t hi, std::span<const float> grads);
  void add_dense(std::size_t lo, std::size_t hi, const EncodedGradient& encoded);  // a whole encode()
  void encode_rows(EncodedGradient& out) const;
  void assign_rows(const EncodedGradient& piece);
  void add_rows(std::span<const float> grads, std::span<const std::int32_t> touched_rows, double loss);
  void add_rows(const EncodedGradient& encoded);  // a whole encode()

  std::span<float> values() { return values_; }
  std::span<const std::int32_t> rows() const { return rows_; }
  double loss() const { return loss_; }

 private:
  struct Decoded {
    const float* dense;
    std::span<const std::int32_t> rows;
    const float* row_values;
    double loss;
  };
  Decoded decode(const EncodedGradient& encoded, bool with_dense) const;
  void add_row_values(std::span<const std::int32_t> rows, const float* values, std::size_t stride);
  void copy_rows(const Decoded& d);
  // Calls f(value index, dense index, count) for the one or two runs of [lo, hi).
  template <typename F>
  void for_dense(std::size_t lo, std::size_t hi, F f) const;

  std::vector<float> values_;
  std::size_t row_offset_ = 0, row_count_ = 0, row_size_ = 0;  // the rows segment; row_size_ 0: none
  std::vector<std::int32_t> rows_;
  std::vector<std::uint8_t> row_in_sum_;
  std::vector<std::uint64_t> row_added_;  // [rows] the add() that last added the row: finds repeats
  std::uint64_t adds_ = 0;
  double loss_ = 0.0;
};

}  // namespace bertcls::train
